import type { ServiceProcess } from './service-processes';

/** What `npm start` prints once the region is up: where to go and what to ask. */
export function welcomeText(gatewayUrl: string, services: readonly ServiceProcess[], logDir: string, today: string): string {
  const to = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
  const query = `{ region { municipalities { code name housingUnits { id kind places freePlaces(from: "${today}", to: "${to}") } } } }`;
  const rows = services.map((s) => `  ${s.name.padEnd(18)} pid ${String(s.pid).padEnd(8)} ${s.url}`).join('\n');
  return `
Södertörn exit-programme federation is running.

  Gateway:  ${gatewayUrl}

Services (each its own process; stop one with \`kill <pid>\` to see the others carry on):
${rows}
Logs: ${logDir}

Free places across the region for the coming two weeks:

  curl -s ${gatewayUrl} -H 'content-type: application/json' \\
    --data '${JSON.stringify({ query })}'

More operations: docs/operations/*.graphql. Press Ctrl-C to stop everything.
`;
}
