import { ConfigError } from '@sodertorn/service-kit';
import { devPairwiseSeed, maskVector, statisticsVectorLength, sumMasked } from '@sodertorn/statistics';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeStatisticsPublicKey,
  formatStatisticsPublicKeys,
  generateStatisticsKeyPair,
  statisticsSeedsFromConfig,
  statisticsKeyFingerprint,
  x25519KeyringFromKeys,
  type StatisticsSeedSettings,
  type StatisticsSeedSource,
} from './pairwise-seeds';

const MEMBERS = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const SECRET = 'development-only-statistics-secret-0123456789';

/** One key pair per member. */
const pairs = new Map(MEMBERS.map((code) => [code, generateStatisticsKeyPair()]));
/** The seeds of a round over `codes` (default every member), everyone on key version 1. */
const roundSeeds = (source: Pick<StatisticsSeedSource, 'keyring'>, codes: readonly string[] = MEMBERS) =>
  source.keyring!.seedsFor(
    codes,
    codes.map(() => 1),
  );
const publicKeysOf = (codes: readonly string[]) => formatStatisticsPublicKeys(Object.fromEntries(codes.map((c) => [c, pairs.get(c)!.publicKey])));

describe('Statistics mask seeds from configuration', () => {
  let folder: string;
  const fileOf = (code: string) => join(folder, `${code}.pem`);
  /** Writes a key file (a member's, or other content for the file checks). */
  const writeKeyFile = (name: string, content: string) => {
    const file = join(folder, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'statistics-keys-'));
    for (const [code, pair] of pairs) writeKeyFile(`${code}.pem`, pair.privateKeyPem);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** The problem lines of the ConfigError the settings cause (fails the test if they cause none). */
  function problemsOf(settings: StatisticsSeedSettings): string[] {
    try {
      statisticsSeedsFromConfig(settings);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/^municipality subgraph cannot start; fix its environment:\n/);
      return message
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^ {2}- /, ''));
    }
    throw new Error('statisticsSeedsFromConfig accepted invalid settings');
  }

  describe('choosing the mode', () => {
    it('takes part in no round without any setting', () => {
      expect(statisticsSeedsFromConfig({ municipalityCode: '0126' })).toEqual({ mode: 'none', ignored: [] });
    });

    it('derives development seeds from STATISTICS_SEED_SECRET alone', () => {
      const source = statisticsSeedsFromConfig({ municipalityCode: '0126', seedSecret: SECRET });
      expect(source.mode).toBe('development-secret');
      expect(roundSeeds(source)('0126', '0127')).toEqual(devPairwiseSeed(SECRET)('0126', '0127'));
    });

    it('uses X25519 when the private key file and the public keys are given, and says which members it knows', () => {
      const source = statisticsSeedsFromConfig({ municipalityCode: '0126', privateKeyFile: fileOf('0126'), publicKeys: publicKeysOf(MEMBERS) });
      expect(source).toMatchObject({ mode: 'x25519', members: MEMBERS, ignored: [] });
      expect(roundSeeds(source)('0126', '0127')).toHaveLength(32);
    });

    it('prefers X25519 over the development secret when both are set, naming the secret as ignored', () => {
      const source = statisticsSeedsFromConfig({
        municipalityCode: '0126',
        privateKeyFile: fileOf('0126'),
        publicKeys: publicKeysOf(MEMBERS),
        seedSecret: SECRET,
      });
      expect(source).toMatchObject({ mode: 'x25519', ignored: ['STATISTICS_SEED_SECRET'] });
      expect(roundSeeds(source)('0126', '0127')).not.toEqual(devPairwiseSeed(SECRET)('0126', '0127'));
    });

    it('accepts spaces around entries and a trailing comma', () => {
      const spaced = ` ${publicKeysOf(['0126', '0127']).replace(',', ' , ')} ,`;
      expect(statisticsSeedsFromConfig({ municipalityCode: '0126', privateKeyFile: fileOf('0126'), publicKeys: spaced }).members).toEqual(['0126', '0127']);
    });
  });

  describe('refusing to start, naming the variable and what is wrong', () => {
    const valid = () => ({ municipalityCode: '0126', privateKeyFile: fileOf('0126'), publicKeys: publicKeysOf(MEMBERS) });

    it('when only one of the two X25519 settings is given', () => {
      expect(problemsOf({ municipalityCode: '0126', privateKeyFile: fileOf('0126') })).toEqual([
        expect.stringMatching(/^STATISTICS_PUBLIC_KEYS is required when STATISTICS_PRIVATE_KEY_FILE is set: every member's public key, own included/),
      ]);
      expect(problemsOf({ municipalityCode: '0126', publicKeys: publicKeysOf(MEMBERS), seedSecret: SECRET })).toEqual([
        expect.stringMatching(
          /^STATISTICS_PRIVATE_KEY_FILE is required when STATISTICS_PUBLIC_KEYS is set: the path of this municipality's X25519 private key/,
        ),
      ]);
    });

    it('when the private key file cannot be read', () => {
      const missing = join(folder, 'no-such.pem');
      expect(problemsOf({ ...valid(), privateKeyFile: missing })).toEqual([`STATISTICS_PRIVATE_KEY_FILE: cannot read ${missing} (ENOENT)`]);
    });

    it.each([
      ['is not PEM', 'just some text', 'STATISTICS_PRIVATE_KEY_FILE: is not a PKCS#8 PEM private key (expected a "-----BEGIN PRIVATE KEY-----" block)'],
      [
        'is a damaged PEM block',
        '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
        'STATISTICS_PRIVATE_KEY_FILE: holds a PEM block that is not a readable PKCS#8 private key',
      ],
      [
        'holds an Ed25519 key',
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        'STATISTICS_PRIVATE_KEY_FILE: holds a private key of type ed25519, not X25519',
      ],
      [
        'holds an EC key',
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        'STATISTICS_PRIVATE_KEY_FILE: holds a private key of type ec, not X25519',
      ],
    ])('when the private key file %s', (_what, content, expected) => {
      const file = writeKeyFile(`bad-${_what.replace(/\W/g, '-')}.pem`, content);
      expect(problemsOf({ ...valid(), privateKeyFile: file })).toEqual([expected]);
    });

    it('without quoting the private key file in any message', () => {
      const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const file = writeKeyFile('quoted.pem', pem);
      const body = pem.split('\n')[1]!;
      expect(problemsOf({ ...valid(), privateKeyFile: file }).join('\n')).not.toContain(body);
    });

    it.each([
      [
        'an entry without a key',
        () => `${publicKeysOf(['0126'])},0127`,
        'STATISTICS_PUBLIC_KEYS: "0127" is not of the form 0126:2=<base64url of the raw 32-byte X25519 public key> (":2" is the key\'s version; without it, version 1)',
      ],
      ['a three-digit code', () => `${publicKeysOf(['0126'])},127=${pairs.get('0127')!.publicKey}`, `"127=${pairs.get('0127')!.publicKey}" is not of the form`],
      ['a key of the wrong length', () => `${publicKeysOf(['0126'])},0127=${pairs.get('0127')!.publicKey}AA`, 'is not of the form 0126:2=<base64url'],
      ['a padded (base64, not base64url) key', () => `${publicKeysOf(['0126'])},0127=${pairs.get('0127')!.publicKey}=`, 'is not of the form 0126:2=<base64url'],
      ['a code listed twice', () => `${publicKeysOf(['0126', '0127'])},0127=${pairs.get('0128')!.publicKey}`, 'STATISTICS_PUBLIC_KEYS: 0127 is listed twice'],
      [
        'one key for two members',
        () => `${publicKeysOf(['0126', '0127'])},0128=${pairs.get('0127')!.publicKey}`,
        'STATISTICS_PUBLIC_KEYS: 0127 and 0128 have the same key; each member and version needs its own',
      ],
      ['an empty list', () => ' , ', 'STATISTICS_PUBLIC_KEYS: is empty; expected 0126:2=<base64url'],
    ])('when STATISTICS_PUBLIC_KEYS has %s', (_what, publicKeys, expected) => {
      const problems = problemsOf({ ...valid(), publicKeys: publicKeys() });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^STATISTICS_PUBLIC_KEYS: /);
      expect(problems[0]).toContain(expected);
    });

    it('listing every malformed entry at once', () => {
      const [problem] = problemsOf({ ...valid(), publicKeys: `${publicKeysOf(['0126'])},0127,0128=x` });
      expect(problem).toBe(
        'STATISTICS_PUBLIC_KEYS: "0127" is not of the form 0126:2=<base64url of the raw 32-byte X25519 public key> (":2" is the key\'s version; without it, version 1); ' +
          '"0128=x" is not of the form 0126:2=<base64url of the raw 32-byte X25519 public key> (":2" is the key\'s version; without it, version 1)',
      );
    });

    it("when this municipality's own key is missing", () => {
      expect(problemsOf({ ...valid(), publicKeys: publicKeysOf(MEMBERS.filter((c) => c !== '0126')) })).toEqual([
        "STATISTICS_PUBLIC_KEYS: has no entry for this municipality (0126); list every member's key, this one's included",
      ]);
    });

    it('when the own entry is not the public key of the private key', () => {
      const swapped = publicKeysOf(MEMBERS).replace(`0126=${pairs.get('0126')!.publicKey}`, `0126=${generateStatisticsKeyPair().publicKey}`);
      expect(problemsOf({ ...valid(), publicKeys: swapped })).toEqual([
        'STATISTICS_PUBLIC_KEYS: no key given for 0126 is the public key of the private key in STATISTICS_PRIVATE_KEY_FILE',
      ]);
    });

    it('when only the own key is listed', () => {
      expect(problemsOf({ ...valid(), publicKeys: publicKeysOf(['0126']) })).toEqual([
        "STATISTICS_PUBLIC_KEYS: lists one member only; a round needs every other member's key too",
      ]);
    });

    it('when a member key is a low-order point that agrees on the all-zero secret', () => {
      const zero = Buffer.alloc(32).toString('base64url');
      expect(problemsOf({ ...valid(), publicKeys: `${publicKeysOf(['0126', '0127'])},0128=${zero}` })).toEqual([
        'STATISTICS_PUBLIC_KEYS: the key given for 0128 is not usable for key agreement (a low-order point)',
      ]);
    });

    it('reporting problems of both variables together', () => {
      const file = writeKeyFile('both.pem', 'not a key');
      expect(problemsOf({ municipalityCode: '0126', privateKeyFile: file, publicKeys: '0127' })).toEqual([
        expect.stringMatching(/^STATISTICS_PRIVATE_KEY_FILE: is not a PKCS#8 PEM private key/),
        expect.stringMatching(/^STATISTICS_PUBLIC_KEYS: "0127" is not of the form/),
      ]);
    });
  });

  describe('key versions (a rotation: the old and the new key side by side)', () => {
    const next = generateStatisticsKeyPair();
    /** 0126 holding versions 1 and 2 (two PEM blocks in one file), 0127 knowing what `knows` says of 0126. */
    const rotating = () =>
      x25519KeyringFromKeys('0126', pairs.get('0126')!.privateKeyPem + next.privateKeyPem, `${publicKeysOf(MEMBERS)},0126:2=${next.publicKey}`);
    const knowing = (entries: string) => x25519KeyringFromKeys('0127', pairs.get('0127')!.privateKeyPem, `${publicKeysOf(MEMBERS.slice(1))},${entries}`);
    const fingerprintOf = (publicKey: string) => createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);

    it("tells the region its own versions and the others' by fingerprint, never a key", () => {
      const { info } = rotating().keyring;
      expect(info.own).toEqual([
        { version: 1, fingerprint: fingerprintOf(pairs.get('0126')!.publicKey) },
        { version: 2, fingerprint: fingerprintOf(next.publicKey) },
      ]);
      expect(info.known).toEqual(
        MEMBERS.slice(1).map((code) => ({ municipalityCode: code, version: 1, fingerprint: fingerprintOf(pairs.get(code)!.publicKey) })),
      );
      expect(info.sharedSecret).toBe(false);
      expect(statisticsKeyFingerprint(decodeStatisticsPublicKey(next.publicKey))).toBe(fingerprintOf(next.publicKey));
      expect(JSON.stringify(info)).not.toContain(next.publicKey);
    });

    it('agrees on version 2 with a member that knows it, and on version 1 with one that knows only that', () => {
      const both = rotating().keyring;
      const pair = ['0126', '0127'];
      const onNew = both.seedsFor(pair, [2, 1])('0126', '0127');
      expect(knowing(`0126=${pairs.get('0126')!.publicKey},0126:2=${next.publicKey}`).keyring.seedsFor(pair, [2, 1])('0126', '0127')).toEqual(onNew);
      const onOld = both.seedsFor(pair, [1, 1])('0126', '0127');
      expect(onOld).not.toEqual(onNew);
      const oldOnly = knowing(`0126=${pairs.get('0126')!.publicKey}`).keyring;
      expect(oldOnly.seedsFor(pair, [1, 1])('0126', '0127')).toEqual(onOld);
      expect(() => oldOnly.seedsFor(pair, [2, 1])).toThrow('This deployment does not know version 2 of the statistics key of 0126.');
      expect(() => both.seedsFor(pair, [3, 1])).toThrow('This deployment holds no statistics key of version 3.');
    });

    it('keeps development seeds on version 1', () => {
      const source = statisticsSeedsFromConfig({ municipalityCode: '0126', seedSecret: SECRET });
      expect(source.keyring!.info).toEqual({ own: [{ version: 1, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) }], known: [], sharedSecret: true });
      expect(() => source.keyring!.seedsFor(['0126', '0127'], [2, 1])).toThrow('key version 1 only');
    });

    it.each([
      ['a version 0', () => `${publicKeysOf(MEMBERS)},0127:0=${next.publicKey}`, '"0127:0=', 'is not of the form'],
      ['version 1 twice, with and without ":1"', () => `${publicKeysOf(MEMBERS)},0127:1=${next.publicKey}`, '0127 is listed twice', ''],
      ['one key under two versions', () => `${publicKeysOf(MEMBERS)},0127:2=${pairs.get('0127')!.publicKey}`, '0127 and 0127:2 have the same key', ''],
    ])('refuses %s', (_what, publicKeys, expected, alsoExpected) => {
      const [problem] = problemsOf({ municipalityCode: '0126', privateKeyFile: fileOf('0126'), publicKeys: publicKeys() });
      expect(problem).toContain(expected);
      expect(problem).toContain(alsoExpected);
    });

    it('refuses a private key block without its public entry, and an own version without its private key', () => {
      const twoBlocks = writeKeyFile('two-blocks.pem', pairs.get('0126')!.privateKeyPem + next.privateKeyPem);
      expect(problemsOf({ municipalityCode: '0126', privateKeyFile: twoBlocks, publicKeys: publicKeysOf(MEMBERS) })).toEqual([
        'STATISTICS_PUBLIC_KEYS: no key given for 0126 is the public key of the private key 2 (of 2) in STATISTICS_PRIVATE_KEY_FILE',
      ]);
      expect(problemsOf({ municipalityCode: '0126', privateKeyFile: fileOf('0126'), publicKeys: `${publicKeysOf(MEMBERS)},0126:2=${next.publicKey}` })).toEqual(
        ['STATISTICS_PUBLIC_KEYS: 0126:2 has no private key in STATISTICS_PRIVATE_KEY_FILE'],
      );
    });
  });

  describe('generateStatisticsKeyPair', () => {
    it('gives a PKCS#8 PEM X25519 private key and the base64url of its raw 32-byte public key', () => {
      const { privateKeyPem, publicKey } = generateStatisticsKeyPair();
      expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(publicKey, 'base64url')).toHaveLength(32);
      expect(decodeStatisticsPublicKey(publicKey).asymmetricKeyType).toBe('x25519');
    });
  });

  describe('X25519 seeds', () => {
    const seedsOf = (code: string, codes: readonly string[] = MEMBERS) =>
      roundSeeds(statisticsSeedsFromConfig({ municipalityCode: code, privateKeyFile: fileOf(code), publicKeys: publicKeysOf(codes) }), codes);

    it('agree pairwise: both members of every pair derive the same seed, and every pair a different one', () => {
      const seen = new Set<string>();
      for (const a of MEMBERS) {
        for (const b of MEMBERS) {
          if (a >= b) continue;
          const seed = Buffer.from(seedsOf(a)(a, b));
          expect(Buffer.from(seedsOf(b)(a, b))).toEqual(seed);
          expect(Buffer.from(seedsOf(b)(b, a))).toEqual(seed);
          seen.add(seed.toString('hex'));
        }
      }
      expect(seen.size).toBe((MEMBERS.length * (MEMBERS.length - 1)) / 2);
    });

    it("differ when a third party's key stands in for a member's", () => {
      const outsider = generateStatisticsKeyPair();
      const genuine = seedsOf('0126')('0126', '0127');
      // 0126 handed the outsider's key as 0127's (what a region that supplied keys could do)…
      const misled = roundSeeds(x25519KeyringFromKeys('0126', pairs.get('0126')!.privateKeyPem, `${publicKeysOf(['0126'])},0127=${outsider.publicKey}`), [
        '0126',
        '0127',
      ]);
      expect(Buffer.from(misled('0126', '0127'))).not.toEqual(Buffer.from(genuine));
      // …and the outsider, with its own key and every public key, gets neither seed.
      const asOutsider = roundSeeds(x25519KeyringFromKeys('0127', outsider.privateKeyPem, `${publicKeysOf(['0126'])},0127=${outsider.publicKey}`), [
        '0126',
        '0127',
      ]);
      expect(Buffer.from(asOutsider('0126', '0127'))).not.toEqual(Buffer.from(genuine));
      expect(Buffer.from(asOutsider('0126', '0127'))).toEqual(Buffer.from(misled('0126', '0127')));
    });

    it('hold no seed for a pair without this member, nor for a member without a configured key', () => {
      expect(() => seedsOf('0126')('0127', '0128')).toThrow('holds no seed for 0127 and 0128');
      expect(() => seedsOf('0126', ['0126', '0127'])('0126', '0128')).toThrow('no public key for participant 0128');
    });

    it.each([3, 4, 5, 6, 7, 8])('mask the cells of %i members so that only the sum of all is the plain sum', (n) => {
      const participants = MEMBERS.slice(0, n);
      const length = statisticsVectorLength();
      // Small counts with zeros, as a municipality's quarter × category cells are.
      const plain = new Map(participants.map((code, m) => [code, Array.from({ length }, (_, i) => (i * 7 + m * 3) % 11)]));
      const round = `statistics/test/2026/${n}`;
      const masked = participants.map((code) => maskVector(code, participants, seedsOf(code, participants), round, plain.get(code)!));
      const plainSum = Array.from({ length }, (_, i) => participants.reduce((sum, code) => sum + plain.get(code)![i]!, 0));
      expect(sumMasked(masked)).toEqual(plainSum);
      masked.forEach((vector, m) => {
        expect(vector).not.toEqual(plain.get(participants[m]!));
        // Noise, not the counts: hardly a cell keeps its value.
        expect(vector.filter((value, i) => value === plain.get(participants[m]!)![i]).length).toBeLessThanOrEqual(1);
      });
      // Leave one member out and the masks no longer cancel.
      expect(sumMasked(masked.slice(1))).not.toEqual(plainSum.map((total, i) => total - plain.get(participants[0]!)![i]!));
    });
  });
});
