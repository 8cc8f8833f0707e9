import { ConfigError, env, parseAuthEnv, parseDrainEnv, parseEnv, parseTransportEnv, z } from '@sodertorn/service-kit';
import { readFileSync } from 'node:fs';
import type { Organisation } from './oidc-sign-in';

/** The public client every identity provider registers for the web app (authorization code + PKCE). */
export const DEFAULT_WEB_CLIENT_ID = 'web';

const ORGANISATIONS_FILE = 'must name the organisations file (JSON: [{ id, name, issuer }])';

const organisationsSchema = z
  .array(
    z.object({
      id: z.string().regex(/^(\d{4}|region)$/, 'must be a kommunkod such as 0126, or region'),
      name: z.string().min(1).max(100),
      issuer: z.url(),
    }),
  )
  .min(1);

/**
 * Environment of the web app's server (the image's `web`), parsed once at start: where it listens
 * (HTTPS from TLS_* files, a management port for probes), its public origin, the gateway it passes
 * operations to, the organisations whose people sign in here, and the services' own token trust.
 */
export function loadWebConfig(source: NodeJS.ProcessEnv = process.env) {
  const config = parseEnv(
    'web',
    {
      PORT: env.port(4080),
      HOST: env.host(),
      WEB_ORIGIN: z.url('must be the address people open, e.g. https://avhopp.sodertorn.se'),
      GATEWAY_URL: z.url('must be the gateway’s GraphQL URL, e.g. https://gateway/graphql'),
      GATEWAY_CA_FILE: z.string().min(1).optional(),
      GATEWAY_TIMEOUT_MS: env.milliseconds(30_000),
      WEB_ORGANISATIONS_FILE: z.string({ error: ORGANISATIONS_FILE }).min(1, ORGANISATIONS_FILE),
      WEB_CLIENT_ID: z.string().min(1).default(DEFAULT_WEB_CLIENT_ID),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  const origin = new URL(config.WEB_ORIGIN);
  return {
    port: config.PORT,
    host: config.HOST,
    origin: origin.origin,
    /** Cookies marked Secure unless people reach it over plain HTTP (development only). */
    secureCookies: origin.protocol === 'https:',
    gatewayUrl: config.GATEWAY_URL,
    gatewayCa: config.GATEWAY_CA_FILE ? readSetting('GATEWAY_CA_FILE', config.GATEWAY_CA_FILE) : undefined,
    gatewayTimeoutMs: config.GATEWAY_TIMEOUT_MS,
    organisations: readOrganisations(config.WEB_ORGANISATIONS_FILE),
    clientId: config.WEB_CLIENT_ID,
    transport: parseTransportEnv('web', source, { requireClientCertificates: false }),
    auth: parseAuthEnv('web', source),
    drain: parseDrainEnv('web', source),
    logLevel: config.LOG_LEVEL,
  };
}

export type WebConfig = ReturnType<typeof loadWebConfig>;

function readSetting(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('web', [`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}

/** The organisations file: who signs in here, each at its own provider; checked at start, naming the entry at fault. */
function readOrganisations(path: string): Organisation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSetting('WEB_ORGANISATIONS_FILE', path));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('web', ['WEB_ORGANISATIONS_FILE: is not JSON']);
  }
  const result = organisationsSchema.safeParse(parsed);
  if (!result.success)
    throw new ConfigError(
      'web',
      result.error.issues.map((issue) => `WEB_ORGANISATIONS_FILE${issue.path.map((p) => `[${String(p)}]`).join('')}: ${issue.message}`),
    );
  return result.data;
}
