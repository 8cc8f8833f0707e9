import { Role } from '@sodertorn/auth';
import { DEMO_USERS, type DevIdentity } from './dev-identity';
import { RESTART_POLICY, type ServiceProcess } from './service-processes';
import { dirname } from 'node:path';

const seconds = (ms: number) => Math.round(ms / 1000);

/** What `npm start` prints once the region is up: where to go, how to get a token, what to ask. */
export async function welcomeText(
  gatewayUrl: string,
  identity: DevIdentity,
  services: readonly ServiceProcess[],
  logDir: string,
  today: string,
  /** The development CA of the region, which signed the gateway's certificate: curl's --cacert. */
  caFile: string,
): Promise<string> {
  const to = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
  const query = `{ region { municipalities { code name housingUnits { id kind places freePlaces(from: "${today}", to: "${to}") } } } }`;
  const rows = services.map((s) => `  ${s.name.padEnd(18)} pid ${String(s.pid).padEnd(8)} ${s.url}`).join('\n');
  const coordinatorToken = await identity.issuer.mint({ sub: 'coordinator-1', roles: [Role.COORDINATOR] });
  const statsUrl = new URL('/stats', gatewayUrl).toString();
  const users = DEMO_USERS.map(
    (u) =>
      `  ${u.who.padEnd(36)} npm run -s token -- --role ${u.role.toLowerCase().replace('_', '-')}${u.municipality ? ` --municipality ${u.municipality}` : ''}`,
  ).join('\n');
  return `
Södertörn exit-programme federation is running.

  Gateway:  ${gatewayUrl}

Services, each its own process:
${rows}
Stop one with \`kill <pid>\` to see the others carry on: the runner restarts it on the same port after
${seconds(RESTART_POLICY.initialDelayMs)} s (waiting twice as long each time it fails again, up to ${seconds(RESTART_POLICY.maxDelayMs)} s), as Kubernetes would in production,
and prints its new pid. To keep one down for a while, freeze it: \`kill -STOP <pid>\`, then \`kill -CONT <pid>\`.
Logs: ${logDir}

Every request needs a bearer token. The local development issuer makes them for the demo users:
${users}

Every service speaks TLS (the shards and the regional subgraph only mutual TLS, with the region's
client certificates); the development CAs are in ${dirname(caFile)} (see docs/certificates.md).

Free places across the region for the coming two weeks, as the regional coordinator
(this token is valid for 8 hours):

  TOKEN=${coordinatorToken}
  curl -s --cacert ${caFile} ${gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    --data '${JSON.stringify({ query })}'

Joint statistics for a BI tool or a spreadsheet, as CSV (the datasets are listed at ${statsUrl}):

  STATS=$(npm run -s token -- --role analyst --sub my-bi-tool)
  curl -s --cacert ${caFile} -H "authorization: Bearer $STATS" '${statsUrl}/intakes_by_referral_source.csv?year=${today.slice(0, 4)}'

More operations, one per role: docs/operations/*.graphql. Press Ctrl-C to stop everything.
`;
}
