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
export function parseEnv<S extends z.ZodRawShape>(
  service: string,
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const given = env[name];
    return given === undefined || given === '' ? `${name} is required: ${issue.message}` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** Common variable parsers with messages that say what a valid value looks like. */
export const env = {
  port: (fallback?: number) => {
    const parser = z.coerce.number().int().min(0, 'must be a TCP port 0–65535 (0 picks a free one)').max(65535, 'must be a TCP port 0–65535');
    return fallback === undefined ? parser : parser.default(fallback);
  },
  postgresUrl: () =>
    z
      .string({ error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database' })
      .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database'),
  municipalityCode: () =>
    z.string({ error: 'must be a four-digit kommunkod such as 0126' }).regex(/^\d{4}$/, 'must be a four-digit kommunkod such as 0126'),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  host: (fallback = '127.0.0.1') => z.string().min(1, 'must be a host name or address to listen on').default(fallback),
  logLevel: (fallback = 'info') =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default(fallback as 'info'),
  milliseconds: (fallback: number) => z.coerce.number().int().positive('must be a positive number of milliseconds').default(fallback),
};
