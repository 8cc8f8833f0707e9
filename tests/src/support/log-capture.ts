import { createLogger, type Logger } from '@sodertorn/service-kit';
import { Writable } from 'node:stream';

/** A logger with the production configuration whose lines a test can read back. */
export function capturingLogger(service = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(service, 'debug', stream), lines };
}
