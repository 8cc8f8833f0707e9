import { createLogger, type Logger } from '@sodertorn/service-kit';

export interface LogRecord {
  level: number;
  msg?: string;
  /** Set by startTestRegion: `gateway`, `regional`, `municipality-0126`, … */
  component?: string;
  operationName?: string;
  [key: string]: unknown;
}

export interface MemoryLog {
  /** The services' own logger (createLogger, with its redaction), writing here instead of stdout. */
  logger: Logger;
  /** Every line as written, unparsed. */
  lines: string[];
  records(): LogRecord[];
  /** Lines written after `mark()` returned `position`. */
  since(position: number): LogRecord[];
  mark(): number;
}

/** A logger that keeps every line in memory, so a test can read what the services logged. */
export function memoryLog(level = 'info'): MemoryLog {
  const lines: string[] = [];
  const logger = createLogger('test-region', level, { write: (line: string) => void lines.push(line) });
  const parse = (slice: string[]) => slice.map((line) => JSON.parse(line) as LogRecord);
  return {
    logger,
    lines,
    records: () => parse(lines),
    since: (position) => parse(lines.slice(position)),
    mark: () => lines.length,
  };
}
