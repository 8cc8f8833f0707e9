import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, env, parseEnv, z } from './config';

/** The shape of a municipal deployment's environment. */
const shape = {
  MUNICIPALITY_CODE: env.municipalityCode(),
  DATABASE_URL: env.postgresUrl(),
  PORT: env.port(4101),
  HOST: env.host(),
  INTROSPECTION: env.boolean(false),
  LOG_LEVEL: env.logLevel(),
  SHARD_TIMEOUT_MS: env.milliseconds(5_000),
};

const valid = { MUNICIPALITY_CODE: '0126', DATABASE_URL: 'postgres://svc:secret@127.0.0.1:5432/m0126' };

/** The problem lines of the ConfigError parseEnv throws (fails the test if it does not throw one). */
function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv('municipality subgraph', shape, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^municipality subgraph cannot start; fix its environment:\n/);
    return message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('parseEnv accepted an invalid environment');
}

describe('parseEnv', () => {
  describe('on a valid environment', () => {
    it('parses values and fills in the defaults', () => {
      expect(parseEnv('svc', shape, valid)).toEqual({
        ...valid,
        PORT: 4101,
        HOST: '127.0.0.1',
        INTROSPECTION: false,
        LOG_LEVEL: 'info',
        SHARD_TIMEOUT_MS: 5000,
      });
    });

    it('coerces numbers and booleans from their text', () => {
      const parsed = parseEnv('svc', shape, { ...valid, PORT: '0', INTROSPECTION: '1', SHARD_TIMEOUT_MS: '250', LOG_LEVEL: 'silent' });
      expect(parsed).toMatchObject({ PORT: 0, INTROSPECTION: true, SHARD_TIMEOUT_MS: 250, LOG_LEVEL: 'silent' });
      expect(parseEnv('svc', shape, { ...valid, INTROSPECTION: 'false' }).INTROSPECTION).toBe(false);
    });

    it('ignores variables the shape does not name', () => {
      expect(parseEnv('svc', shape, { ...valid, PATH: '/usr/bin' })).not.toHaveProperty('PATH');
    });

    it('treats an empty variable as unset, taking the default instead of port 0', () => {
      expect(parseEnv('svc', shape, { ...valid, PORT: '', HOST: ' ', SHARD_TIMEOUT_MS: '' })).toMatchObject({
        PORT: 4101,
        HOST: '127.0.0.1',
        SHARD_TIMEOUT_MS: 5000,
      });
    });
  });

  describe('on an invalid environment', () => {
    it('reports every problem at once, each naming its variable', () => {
      const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://root@db/m0126' });
      expect(problems).toHaveLength(3);
      expect(problems).toEqual(
        expect.arrayContaining([
          'MUNICIPALITY_CODE is required: must be a four-digit kommunkod such as 0126',
          'DATABASE_URL: must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
          'PORT: must be a TCP port 0–65535 (0 picks a free one)',
        ]),
      );
    });

    it.each([
      ['MUNICIPALITY_CODE', { MUNICIPALITY_CODE: '126' }, 'MUNICIPALITY_CODE: must be a four-digit kommunkod'],
      ['MUNICIPALITY_CODE', { MUNICIPALITY_CODE: '' }, 'MUNICIPALITY_CODE is required'],
      ['PORT', { PORT: '65536' }, 'PORT: must be a TCP port'],
      ['PORT', { PORT: '-1' }, 'PORT: must be a TCP port'],
      ['PORT', { PORT: '80.5' }, 'PORT: must be a TCP port'],
      ['INTROSPECTION', { INTROSPECTION: 'yes' }, 'INTROSPECTION: must be true or false'],
      ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
      ['SHARD_TIMEOUT_MS', { SHARD_TIMEOUT_MS: '0' }, 'SHARD_TIMEOUT_MS: must be a positive whole number of milliseconds'],
      ['SHARD_TIMEOUT_MS', { SHARD_TIMEOUT_MS: 'soon' }, 'SHARD_TIMEOUT_MS: must be a positive whole number of milliseconds'],
    ])('refuses a bad %s (%j), saying what a valid value looks like', (_name, change, expected) => {
      const problems = problemsOf({ ...valid, ...change });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(expected);
    });

    it('never echoes a secret-bearing value it refuses', () => {
      const problems = problemsOf({ ...valid, DATABASE_URL: 'mysql://root:hunter2@db/m0126' });
      expect(problems.join('\n')).not.toContain('hunter2');
    });

    it('works with any zod shape, naming its variables', () => {
      expect(() => parseEnv('gateway', { REGIONAL_SUBGRAPH_URL: z.url('must be a URL') }, { REGIONAL_SUBGRAPH_URL: 'nope' })).toThrow(
        /REGIONAL_SUBGRAPH_URL: must be a URL/,
      );
    });
  });

  describe('secrets as files (NAME_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-files-'));
    const secretFile = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };

    it('reads a setting from the file NAME_FILE names, dropping one trailing line break', () => {
      const path = secretFile('database-url', 'postgres://svc:from-a-file@db:5432/m0126\n');
      const parsed = parseEnv('svc', shape, { MUNICIPALITY_CODE: '0126', DATABASE_URL_FILE: path });
      expect(parsed.DATABASE_URL).toBe('postgres://svc:from-a-file@db:5432/m0126');
    });

    it('validates a value from a file like any other, naming the variable and never quoting the content', () => {
      const path = secretFile('bad-url', 'mysql://root:hunter2@db/m0126');
      const problems = problemsOf({ MUNICIPALITY_CODE: '0126', DATABASE_URL_FILE: path });
      expect(problems).toEqual(['DATABASE_URL: must be a PostgreSQL URL such as postgres://user:password@host:5432/database']);
    });

    it('refuses both NAME and NAME_FILE, and a file it cannot read, naming the variable', () => {
      const path = secretFile('both', 'postgres://svc:x@db/m');
      expect(problemsOf({ ...valid, DATABASE_URL_FILE: path })).toEqual([
        'DATABASE_URL and DATABASE_URL_FILE are both set: give the value or the file holding it, not both',
      ]);
      expect(problemsOf({ MUNICIPALITY_CODE: '0126', DATABASE_URL_FILE: join(dir, 'absent') })).toEqual([
        `DATABASE_URL_FILE: cannot read ${join(dir, 'absent')} (ENOENT)`,
      ]);
    });
  });
});
