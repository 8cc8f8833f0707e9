import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The one logger of every service. Log lines carry operation names, ids and error
 * codes — never GraphQL variables, request bodies or tokens. Redaction is the safety
 * net for the day somebody logs an object they should not have.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'variables',
        '*.variables',
        'body',
        '*.body',
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'token',
        '*.token',
        'password',
        '*.password',
        'personalIdentityNumber',
        '*.personalIdentityNumber',
        'firstName',
        '*.firstName',
        'lastName',
        '*.lastName',
        'streetAddress',
        '*.streetAddress',
      ],
      censor: '[redacted]',
    },
  });
}
