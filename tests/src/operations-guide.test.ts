import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The operations guide (docs/operations-guide.md) against what it documents: every
 * setting the services' config schemas read, every alert of the Prometheus rules, and
 * every metric those alerts use must exist, so neither drifts from the code.
 */
const REPO = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const guide = read('docs/operations-guide.md');

/** The files whose parseEnv schemas are the services' settings. */
const CONFIG_SCHEMAS = [
  'gateway/src/config.ts',
  'subgraphs/municipality/src/config.ts',
  'subgraphs/municipality/src/cull.ts',
  'subgraphs/regional/src/config.ts',
  'web/server/config.ts',
  'packages/service-kit/src/auth-config.ts',
  'packages/service-kit/src/drain-config.ts',
  'packages/service-kit/src/migrate-command.ts',
  'packages/shard-client/src/config.ts',
  'packages/service-kit/src/query-limits.ts',
  'packages/service-kit/src/service-credentials.ts',
  'packages/service-kit/src/tls/transport-config.ts',
];
/** A schema key is an upper-case name followed by a colon at the start of a line. */
const settingsIn = (source: string) => [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}
const rules = (parse(read('deploy/prometheus/alerts.yaml')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe('The operations guide', () => {
  it.each(CONFIG_SCHEMAS)('names every setting of %s', (file) => {
    const settings = settingsIn(read(file));
    expect(settings.length).toBeGreaterThan(0); // the pattern found the schema's keys
    expect(settings.filter((name) => !guide.includes(`\`${name}\``))).toEqual([]);
  });

  it('links the pages on certificates, identity and database roles', () => {
    for (const page of ['certificates.md', 'identity.md', 'database-roles.md', 'configuration.md']) expect(guide).toContain(`](${page})`);
  });

  it('explains every alert under a heading its runbook link points to', () => {
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const rule of rules) {
      expect(guide).toContain(`\n### ${rule.alert}\n`);
      expect(rule.annotations.runbook).toBe(`docs/operations-guide.md#${rule.alert.toLowerCase()}`);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(20);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('alerts only on metrics that exist: the gateway’s own, Prometheus’ `up`, and the process metrics of prom-client', () => {
    const gatewayMetrics = [...read('gateway/src/metrics.ts').matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]!);
    expect(gatewayMetrics).toContain('gateway_shard_up');
    const promClientDefaults = read('node_modules/prom-client/lib/metrics/processStartTime.js') + read('node_modules/prom-client/lib/metrics/osMemoryHeap.js');
    for (const rule of rules) {
      const used = [...rule.expr.replace(/by \([^)]*\)/g, '').matchAll(/\b([a-z_]+)(?=\{|\[|\s*(?:==|>|<|\)))/g)].map((m) =>
        m[1]!.replace(/_(bucket|count|sum)$/, ''),
      );
      const functions = new Set(['rate', 'sum', 'changes', 'histogram_quantile']);
      for (const metric of used.filter((name) => !functions.has(name))) {
        const known = metric === 'up' || gatewayMetrics.includes(metric) || promClientDefaults.includes(`'${metric}'`);
        if (!known) throw new Error(`${rule.alert} uses ${metric}, which no service exports`);
      }
    }
  });
});
