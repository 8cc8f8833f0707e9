import { Gauge, Registry } from 'prom-client';
import type { ServiceTls } from './service-tls';

/**
 * `tls_certificate_expiry_days{certificates="server"}`: days until the first
 * certificate of each watched set expires (its own, its clients' CAs, each
 * peer's CA), read at every scrape, so a reload shows at once.
 */
export function registerCertificateExpiry(registry: Registry, tls: ServiceTls): void {
  new Gauge({
    name: 'tls_certificate_expiry_days',
    help: 'Days until the first certificate in each set of TLS files expires (negative once it has).',
    labelNames: ['certificates'] as const,
    registers: [registry],
    collect() {
      for (const certificates of tls.all()) this.set({ certificates: certificates.label }, Math.round(certificates.daysLeft() * 100) / 100);
    },
  });
}

/** A registry holding only the expiry gauge: /metrics of a service that has no other metrics. */
export function certificateExpiryRegistry(tls: ServiceTls): Registry {
  const registry = new Registry();
  registerCertificateExpiry(registry, tls);
  return registry;
}
