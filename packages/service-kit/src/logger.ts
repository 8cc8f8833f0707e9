import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino masks: the safety net for the day somebody logs an object they should not have. */
const REDACTED_PATHS = [
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
];

/**
 * The one logger of every service. Log lines carry operation names, ids and error
 * codes — never GraphQL variables, request bodies or tokens.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { name: service, level, base: { service }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
