import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REGISTRY_FILE, loadRegistry, parseUrlOverrides } from './registry';

const HUDDINGE = { code: '0126', name: 'Huddinge', url: 'http://127.0.0.1:4101/graphql' };
const BOTKYRKA = { code: '0127', name: 'Botkyrka', url: 'http://127.0.0.1:4102/graphql' };

describe('municipality registry', () => {
  let dir: string;
  let files = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `content` (JSON-encoded unless a string) to a fresh file and returns its path. */
  function registryFile(content: unknown): string {
    const file = join(dir, `registry-${files++}.json`);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  describe('loadRegistry', () => {
    it('reads every entry in file order', () => {
      expect(loadRegistry(registryFile([BOTKYRKA, HUDDINGE]))).toEqual([BOTKYRKA, HUDDINGE]);
    });

    it('replaces the URL of an overridden code and keeps the others', () => {
      const loaded = loadRegistry(registryFile([HUDDINGE, BOTKYRKA]), { '0127': 'http://10.0.0.7:9000/graphql' });
      expect(loaded).toEqual([HUDDINGE, { ...BOTKYRKA, url: 'http://10.0.0.7:9000/graphql' }]);
    });

    it('loads the committed registry: eight Södertörn municipalities, each code once', () => {
      const registry = loadRegistry(DEFAULT_REGISTRY_FILE);
      expect(registry.map((m) => m.code)).toEqual(['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192']);
    });

    it('refuses a code listed twice, naming it', () => {
      const file = registryFile([HUDDINGE, BOTKYRKA, { ...HUDDINGE, name: 'Huddinge igen', url: 'http://127.0.0.1:4999/graphql' }]);
      expect(() => loadRegistry(file)).toThrow(`municipality registry ${file} lists 0126 twice`);
    });

    it.each([
      ['a three-digit code', { ...BOTKYRKA, code: '127' }, '1.code: must be a four-digit kommunkod'],
      ['a code with letters', { ...BOTKYRKA, code: '01A7' }, '1.code: must be a four-digit kommunkod'],
      ['an empty name', { ...BOTKYRKA, name: '' }, '1.name'],
      ['a URL that is not one', { ...BOTKYRKA, url: 'localhost 4102' }, '1.url: must be the URL of the municipality subgraph'],
      ['a missing URL', { code: '0127', name: 'Botkyrka' }, '1.url'],
    ])('refuses %s, naming the entry and field', (_what, bad, problem) => {
      const file = registryFile([HUDDINGE, bad]);
      expect(() => loadRegistry(file)).toThrow(`municipality registry ${file} is invalid`);
      expect(() => loadRegistry(file)).toThrow(problem);
    });

    it('reads the trust anchors and identity of an https shard, its CA file relative to the registry', () => {
      const tls = { caFile: 'certs/huddinge-ca.pem', identity: '0126.municipality.sodertorn.se' };
      const file = registryFile([{ ...HUDDINGE, url: 'https://huddinge.example/graphql', tls }, BOTKYRKA]);
      expect(loadRegistry(file)[0]).toEqual({
        ...HUDDINGE,
        url: 'https://huddinge.example/graphql',
        tls: { ...tls, caFile: join(dir, 'certs/huddinge-ca.pem') },
      });
    });

    it.each([
      ['an https URL without trust anchors', { ...BOTKYRKA, url: 'https://botkyrka.example/graphql' }, '1.tls: is required for an https URL'],
      ['trust anchors for a plain http URL', { ...BOTKYRKA, tls: { caFile: 'ca.pem', identity: 'b.example' } }, '1.tls: is given for a plain http URL'],
      [
        'an identity that is no DNS name',
        { ...BOTKYRKA, url: 'https://b.example/graphql', tls: { caFile: 'ca.pem', identity: 'CN=Botkyrka' } },
        '1.tls.identity: must be the DNS name',
      ],
    ])('refuses %s, naming the field', (_what, bad, problem) => {
      expect(() => loadRegistry(registryFile([HUDDINGE, bad]))).toThrow(problem);
    });

    it('refuses an override that would turn an https shard into a plain http one', () => {
      const file = registryFile([{ ...HUDDINGE, url: 'https://h.example/graphql', tls: { caFile: 'ca.pem', identity: 'h.example' } }]);
      expect(() => loadRegistry(file, { '0126': 'http://127.0.0.1:1/graphql' })).toThrow('changes 0126 between http and https');
    });

    it('refuses an empty registry', () => {
      expect(() => loadRegistry(registryFile([]))).toThrow(/is invalid/);
    });

    it('refuses a file that is not JSON', () => {
      expect(() => loadRegistry(registryFile('[{ "code": "0126",'))).toThrow(/cannot be read as JSON/);
    });

    it('refuses a file that does not exist', () => {
      expect(() => loadRegistry(join(dir, 'missing.json'))).toThrow(/ENOENT/);
    });

    it('refuses a URL override for a code that is not in the registry, naming the code', () => {
      const file = registryFile([HUDDINGE, BOTKYRKA]);
      expect(() => loadRegistry(file, { '0126': 'http://127.0.0.1:1/graphql', '0180': 'http://127.0.0.1:2/graphql' })).toThrow(
        `a subgraph URL is given for 0180, which is not in the registry ${file}`,
      );
    });
  });

  describe('parseUrlOverrides', () => {
    it.each([
      ['unset', undefined],
      ['empty', ''],
      ['only separators and spaces', ' , ,'],
    ])('gives no overrides when the value is %s', (_what, value) => {
      expect(parseUrlOverrides(value)).toEqual({});
    });

    it('parses comma-separated code=URL pairs, trimming spaces around each pair', () => {
      expect(parseUrlOverrides(' 0126=http://127.0.0.1:5001/graphql ,0127=https://botkyrka.example/graphql?x=1,')).toEqual({
        '0126': 'http://127.0.0.1:5001/graphql',
        '0127': 'https://botkyrka.example/graphql?x=1',
      });
    });

    it.each([
      ['a pair without a URL', '0126'],
      ['an empty URL', '0126='],
      ['a three-digit code', '126=http://127.0.0.1:5001/graphql'],
      ['a URL that is not http(s)', '0126=ftp://127.0.0.1/graphql'],
      ['a colon instead of =', '0126:http://127.0.0.1:5001/graphql'],
      ['spaces around =', '0126 = http://127.0.0.1:5001/graphql'],
    ])('refuses %s, quoting the pair', (_what, pair) => {
      expect(() => parseUrlOverrides(`0127=http://127.0.0.1:5002/graphql,${pair}`)).toThrow(
        `MUNICIPALITY_SUBGRAPH_URLS: "${pair.trim()}" is not of the form 0126=http://host:port/graphql`,
      );
    });
  });
});
