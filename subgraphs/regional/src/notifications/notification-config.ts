import { readFileSync } from 'node:fs';
import { ConfigError, readSettingFile, z } from '@sodertorn/service-kit';

/** Minimum length of a webhook secret: 32 characters, as the municipal secrets. */
const MIN_SECRET_LENGTH = 32;

export interface EmailChannel {
  id: string;
  role: 'HOUSING_MANAGER' | 'CASEWORKER' | 'COORDINATOR';
  municipality: string | null;
  email: string;
}
export interface WebhookChannel {
  id: string;
  role: 'HOUSING_MANAGER' | 'CASEWORKER' | 'COORDINATOR';
  municipality: string | null;
  webhook: { url: string; secret: string };
}
export type Channel = EmailChannel | WebhookChannel;

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades with STARTTLS (when not `secure`). */
  requireTls: boolean;
  auth?: { user: string; pass: string };
  from: string;
}

/** Where notifications go, from NOTIFICATIONS_FILE. */
export interface ChannelSettings {
  /** The web app's address; each notification links to `<webAppUrl>/placements/<id>`. */
  webAppUrl: string;
  smtp: SmtpSettings | null;
  channels: Channel[];
}

/** When and how often, from the environment. */
export interface NotificationTiming {
  /** How often the dispatcher looks for events to find and deliveries to make. */
  intervalMs: number;
  /** Warn the receiving housing duty this long before an offer's hold lapses. */
  holdWarningMs: number;
  /** Tell the sending caseworkers' duty this many days before a placement ends. */
  endingSoonDays: number;
  /** Tell the coordinators when a municipality has not answered the reconciler for this long. */
  unavailableAfterMs: number;
  /** Attempts per delivery before it is given up (and logged as an error). */
  maxAttempts: number;
  /** Back-off: attempt n waits min(retryBaseMs·2ⁿ⁻¹, retryMaxMs) after a failure. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Longest wait for one SMTP conversation or webhook call. */
  sendTimeoutMs: number;
}

export type NotificationSettings = ChannelSettings & NotificationTiming;

const kommunkod = z.string().regex(/^\d{4}$/, 'must be a four-digit kommunkod such as 0126');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable, e.g. WEBHOOK_SECRET_0126');
const channelShape = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be lower-case letters, digits and dashes (at most 100), e.g. 0126-housing-mail'),
    role: z.enum(['HOUSING_MANAGER', 'CASEWORKER', 'COORDINATOR'], { error: 'must be HOUSING_MANAGER, CASEWORKER or COORDINATOR' }),
    municipality: kommunkod.optional(),
    email: z.email('must be an e-mail address').optional(),
    webhook: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), secretEnv: envName }).optional(),
  })
  .strict()
  .refine((c) => !!c.email !== !!c.webhook, { error: 'needs exactly one of "email" or "webhook"' })
  .refine((c) => (c.role === 'COORDINATOR') === (c.municipality === undefined), {
    error: 'needs "municipality" for HOUSING_MANAGER and CASEWORKER, and none for COORDINATOR',
  });

const fileShape = z.strictObject({
  webAppUrl: z.url({ protocol: /^https?$/, error: "must be the web app's http(s) address" }).transform((url) => url.replace(/\/+$/, '')),
  smtp: z
    .strictObject({
      host: z.string().min(1, "must be the SMTP server's host name"),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      requireTls: z.boolean().default(true),
      userEnv: envName.optional(),
      passwordEnv: envName.optional(),
      from: z.string().min(3, 'must be the sender, e.g. "Södertörn placeringar <noreply@sodertorn.example>"'),
    })
    .optional(),
  channels: z.array(channelShape).default([]),
});

/**
 * Reads and checks the channel configuration (the JSON of NOTIFICATIONS_FILE) and the secrets
 * it names from the environment. Every problem is reported together, each with its place in the file.
 */
export function parseChannelSettings(
  json: unknown,
  source: NodeJS.ProcessEnv,
  knownMunicipalities: readonly string[],
  where = 'NOTIFICATIONS_FILE',
): ChannelSettings {
  const fail = (problems: string[]) =>
    new ConfigError(
      'regional subgraph',
      problems.map((p) => `${where}: ${p}`),
    );
  const parsed = fileShape.safeParse(json);
  if (!parsed.success) throw fail(parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`));
  const file = parsed.data;
  const problems: string[] = [];
  const secretFrom = (name: string, path: string, minLength = 1) => {
    const fromFile = readSettingFile(source, name);
    if (typeof fromFile === 'object') {
      problems.push(`${path}: ${fromFile.problem}`);
      return '';
    }
    const value = (fromFile ?? source[name])?.trim() ?? '';
    if (value.length < minLength)
      problems.push(`${path}: the environment variable ${name} ${value ? `must be at least ${minLength} characters` : 'is not set'}`);
    return value;
  };
  const seen = new Set<string>();
  const channels = file.channels.map((c, i): Channel => {
    const path = `channels.${i}`;
    if (seen.has(c.id)) problems.push(`${path}.id: "${c.id}" is used by another channel`);
    seen.add(c.id);
    if (c.municipality && !knownMunicipalities.includes(c.municipality)) problems.push(`${path}.municipality: ${c.municipality} is not a member of the region`);
    if (c.email && !file.smtp) problems.push(`${path}.email: e-mail channels need "smtp"`);
    const base = { id: c.id, role: c.role, municipality: c.municipality ?? null };
    if (c.email) return { ...base, email: c.email };
    return { ...base, webhook: { url: c.webhook!.url, secret: secretFrom(c.webhook!.secretEnv, `${path}.webhook.secretEnv`, MIN_SECRET_LENGTH) } };
  });
  let smtp: SmtpSettings | null = null;
  if (file.smtp) {
    const { userEnv, passwordEnv, ...rest } = file.smtp;
    if (!!userEnv !== !!passwordEnv) problems.push('smtp: give both "userEnv" and "passwordEnv", or neither');
    const auth = userEnv && passwordEnv ? { user: secretFrom(userEnv, 'smtp.userEnv'), pass: secretFrom(passwordEnv, 'smtp.passwordEnv') } : undefined;
    smtp = { ...rest, auth };
  }
  if (problems.length) throw fail(problems);
  return { webAppUrl: file.webAppUrl, smtp, channels };
}

/** Reads NOTIFICATIONS_FILE; a file that cannot be read or is not JSON is named with the reason. */
export function loadChannelSettings(file: string, source: NodeJS.ProcessEnv, knownMunicipalities: readonly string[]): ChannelSettings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('regional subgraph', [`NOTIFICATIONS_FILE: cannot read ${file} as JSON (${(error as Error).message})`]);
  }
  return parseChannelSettings(json, source, knownMunicipalities, `NOTIFICATIONS_FILE ${file}`);
}
