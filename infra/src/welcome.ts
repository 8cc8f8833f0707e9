import { Role } from '@sodertorn/auth';
import { REGION_PROVIDER, WEB_CLIENT_ID } from '@sodertorn/identity-provider';
import { DEMO_USERS, type DemoUser, type DevIdentity } from './dev-identity';
import { roleFlag } from './role-flag';
import { RESTART_POLICY, type ServiceProcess } from './service-processes';
import { dirname } from 'node:path';

const seconds = (ms: number) => Math.round(ms / 1000);

/** The command that gets a demo user's token from the running region (as the README lists them). */
export function tokenCommand(user: DemoUser): string {
  return `npm run -s token -- --role ${roleFlag(user.role)}${user.municipality ? ` --municipality ${user.municipality}` : ''}`;
}

/** What `npm start` prints once the region is up: where to go, how to get a token, what to ask. */
export async function welcomeText(
  gatewayUrl: string,
  webUrl: string,
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
  const coordinatorToken = await identity.token({ sub: 'coordinator-1', roles: [Role.COORDINATOR] });
  const regionIssuer = identity.providers.issuers[REGION_PROVIDER]!;
  const providers = identity.specs
    .map((spec) => `  ${spec.displayName.padEnd(22)} ${identity.providers.issuers[spec.name]}   ${spec.accounts.map((a) => a.sub).join(', ')}`)
    .join('\n');
  const statsUrl = new URL('/stats', gatewayUrl).toString();
  const users = DEMO_USERS.map((u) => `  ${u.who.padEnd(36)} ${tokenCommand(u)}`).join('\n');
  return `
Södertörn exit-programme federation is running.

  Web app:  ${webUrl}
  Gateway:  ${gatewayUrl}

Sign in to the web app: choose your organisation, then a demo user on its provider's login page (no passwords):

Services, each its own process:
${rows}
Stop one with \`kill <pid>\` to see the others carry on: the runner restarts it on the same port after
${seconds(RESTART_POLICY.initialDelayMs)} s (waiting twice as long each time it fails again, up to ${seconds(RESTART_POLICY.maxDelayMs)} s), as Kubernetes would in production,
and prints its new pid. To keep one down for a while, freeze it: \`kill -STOP <pid>\`, then \`kill -CONT <pid>\`.
Logs: ${logDir}

Identity providers (real OpenID Providers, oidc-provider; discovery at <issuer>/.well-known/openid-configuration),
one per municipality and the region's, each with its demo users (sign in by choosing one; no passwords):
${providers}
The web app signs in with authorization code + PKCE as public client \`${WEB_CLIENT_ID}\` (redirect URIs: ${identity.specs[0]!.webRedirectUris.join(', ')}).
Botkyrka's provider speaks Entra ID style (groups of object ids); the trust file maps them: ${identity.authEnv.AUTH_TRUSTED_ISSUERS_FILE}

Every request needs a bearer token. \`npm run token\` gets one from the provider that vouches for the demo user:
${users}

Every service speaks TLS (the shards and the regional subgraph only mutual TLS, with the region's
client certificates); the development CAs are in ${dirname(caFile)} (see docs/certificates.md).

Free places across the region for the coming two weeks, as the regional coordinator
(this token is valid for an hour):

  TOKEN=${coordinatorToken}
  curl -s --cacert ${caFile} ${gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    --data '${JSON.stringify({ query })}'

Joint statistics for a BI tool or a spreadsheet, as CSV (the datasets are listed at ${statsUrl}). A BI tool
has a client of its own at the region's provider and gets its tokens with client credentials:

  STATS=$(curl -s -u ${identity.biClient.clientId}:${identity.biClient.clientSecret} -d grant_type=client_credentials ${regionIssuer}/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s --cacert ${caFile} -H "authorization: Bearer $STATS" '${statsUrl}/intakes_by_referral_source.csv?year=${today.slice(0, 4)}'

More operations, one per role: docs/operations/*.graphql. Press Ctrl-C to stop everything.
`;
}
