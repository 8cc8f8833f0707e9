import { readFileSync } from 'node:fs';
import { z } from 'zod';

export { z };

/** Thrown at start when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(service: string, problems: string[]) {
    super(`${service} cannot start; fix its environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start, against a schema whose keys are the
 * variable names. Every problem is reported together, each naming its variable.
 */
export function parseEnv<S extends z.ZodRawShape>(service: string, shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  // An empty variable (`PORT=` in a .env file) counts as unset: it gets the default or is reported as
  // required. Parsed as given, '' would coerce to 0 and a service would quietly listen on a random port.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const fileProblems: string[] = [];
  for (const name of Object.keys(shape)) {
    const fromFile = readSettingFile(given, name);
    if (typeof fromFile === 'string') given[name] = fromFile;
    else if (fromFile) fileProblems.push(fromFile.problem);
  }
  if (fileProblems.length) throw new ConfigError(service, fileProblems);
  const result = z.object(shape).safeParse(given);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return given[name] === undefined ? `${name} is required: ${issue.message}` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/**
 * Secrets as files: every setting NAME may instead be given as NAME_FILE, the path of a file
 * holding its value (a mounted Kubernetes Secret or container secret), so the value is in no
 * process environment or manifest. One trailing line break is dropped. Giving both is refused.
 * Returns the value, nothing when NAME_FILE is not set, or the problem (never the file's content).
 */
export function readSettingFile(source: NodeJS.ProcessEnv, name: string): string | undefined | { problem: string } {
  const path = source[`${name}_FILE`]?.trim();
  if (!path) return undefined;
  if (source[name]?.trim()) return { problem: `${name} and ${name}_FILE are both set: give the value or the file holding it, not both` };
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    return { problem: `${name}_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
}

/** Common variable parsers with messages that say what a valid value looks like. */
export const env = {
  port: (fallback?: number) => {
    const message = 'must be a TCP port 0–65535 (0 picks a free one)';
    const parser = z.coerce.number({ error: message }).int(message).min(0, message).max(65535, message);
    return fallback === undefined ? parser : parser.default(fallback);
  },
  postgresUrl: () =>
    z
      .string({ error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database' })
      .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database'),
  municipalityCode: () => z.string({ error: 'must be a four-digit kommunkod such as 0126' }).regex(/^\d{4}$/, 'must be a four-digit kommunkod such as 0126'),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  host: (fallback = '127.0.0.1') => z.string().min(1, 'must be a host name or address to listen on').default(fallback),
  logLevel: (fallback = 'info') =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })
      .default(fallback as 'info'),
  milliseconds: (fallback: number) => {
    const message = 'must be a positive whole number of milliseconds';
    return z.coerce.number({ error: message }).int(message).positive(message).default(fallback);
  },
};
