import type { RegionPkiFiles } from './region-pki';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as UndiciAgent } from 'undici';

let serviceAgent: HttpsAgent | undefined;
let dispatcher: UndiciAgent | undefined;

/**
 * Makes this test process call the test region as one of the region's own
 * services does: over mutual TLS, presenting the gateway's certificate and
 * trusting the region's and every municipality's CA — for `fetch` (so
 * postGraphQL and every direct `fetch` in a test) and for node:https through
 * `regionServiceAgent()`. Tests that talk to a shard or the regional subgraph
 * directly (token attacks, query limits) then reach the layer they test; the
 * TLS refusals themselves are tested in tls-shard-trust.test.ts.
 */
export function callAsRegionService(pki: RegionPkiFiles): void {
  const ca = [pki.regionCaFile, ...Object.values(pki.municipalities).map((m) => m.caFile)].map((file) => readFileSync(file, 'utf8'));
  const cert = readFileSync(pki.gateway.certFile, 'utf8');
  const key = readFileSync(pki.gateway.keyFile, 'utf8');
  if (!dispatcher) {
    // Node's fetch reads its global dispatcher from the outer realm, not from a test's globals: so
    // this file's fetch is wrapped instead, to pass the dispatcher on every call.
    const plainFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => plainFetch(input, { ...init, dispatcher } as RequestInit);
  }
  dispatcher = new UndiciAgent({ connect: { ca, cert, key } });
  serviceAgent = new HttpsAgent({ keepAlive: true, ca, cert, key });
}

/** The node:https agent of callAsRegionService (undefined before a TLS test region started in this file). */
export function regionServiceAgent(): HttpsAgent | undefined {
  return serviceAgent;
}
