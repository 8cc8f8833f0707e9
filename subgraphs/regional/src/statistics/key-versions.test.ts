import { chooseKeyVersions, type MemberKeys } from './key-versions';

const EIGHT = ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192'];
const fp = (code: string, version: number) => `fp-${code}-${version}`;

/** A member holding `own` versions of its key and knowing, of every other listed member, the versions `knows` gives (default: version 1). */
function member(own: number[], knows: Record<string, number[]> = {}, others: string[] = EIGHT): (code: string) => MemberKeys {
  return (code) => ({
    own: own.map((version) => ({ version, fingerprint: fp(code, version) })),
    known: others
      .filter((other) => other !== code)
      .flatMap((other) => (knows[other] ?? [1]).map((version) => ({ municipalityCode: other, version, fingerprint: fp(other, version) }))),
    sharedSecret: false,
  });
}

const region = (members: Record<string, (code: string) => MemberKeys>) => new Map(Object.entries(members).map(([code, keys]) => [code, keys(code)]));
const everyone = (make: (code: string) => (code: string) => MemberKeys, codes = EIGHT) => Object.fromEntries(codes.map((code) => [code, make(code)]));

describe('chooseKeyVersions: the members of a round and the key version each uses', () => {
  it('takes every member on version 1 when all know each other', () => {
    expect(chooseKeyVersions(region(everyone(() => member([1]))))).toEqual({ versions: new Map(EIGHT.map((c) => [c, 1])), leftOut: [] });
  });

  it('leaves out a ninth whose key only some know, naming those that do not', () => {
    const nine = [...EIGHT, '0114'];
    const keys = region({
      ...everyone((code) => member([1], {}, EIGHT.indexOf(code) < 4 ? nine : EIGHT)),
      '0114': member([1], {}, nine),
    });
    expect(chooseKeyVersions(keys)).toEqual({
      versions: new Map(EIGHT.map((c) => [c, 1])),
      leftOut: [{ municipalityCode: '0114', reason: 'its statistics key (version 1) is not yet known to 0138, 0140, 0181, 0192' }],
    });
  });

  it('stays on the old version of a rotating member until every other knows the new one, then moves to it', () => {
    const halfway = region({ ...everyone((code) => member([1], EIGHT.indexOf(code) < 5 ? { '0126': [1, 2] } : {})), '0126': member([1, 2]) });
    expect(chooseKeyVersions(halfway).versions.get('0126')).toBe(1);
    const allKnow = region({ ...everyone(() => member([1], { '0126': [1, 2] })), '0126': member([1, 2]) });
    expect(chooseKeyVersions(allKnow)).toEqual({ versions: new Map(EIGHT.map((c) => [c, c === '0126' ? 2 : 1])), leftOut: [] });
  });

  it('does not take a version whose fingerprint differs from the one the member holds', () => {
    const keys = region(everyone(() => member([1])));
    keys.get('0127')!.known.find((k) => k.municipalityCode === '0128')!.fingerprint = 'fp-of-another-key';
    const { versions, leftOut } = chooseKeyVersions(keys);
    expect(leftOut).toHaveLength(1);
    expect(['0127', '0128']).toContain(leftOut[0]!.municipalityCode);
    expect(versions.size).toBe(7);
  });

  it('leaves out the one member that knows none of the others, saying whose keys it lacks', () => {
    const keys = region({
      ...everyone(() => member([1])),
      '0140': () => ({ own: [{ version: 1, fingerprint: fp('0140', 1) }], known: [], sharedSecret: false }),
    });
    expect(chooseKeyVersions(keys).leftOut).toEqual([
      {
        municipalityCode: '0140',
        reason: `it does not know the statistics key of ${EIGHT.filter((c) => c !== '0140')
          .map((c) => `${c} (version 1)`)
          .join(', ')}`,
      },
    ]);
  });

  it('lets members on the same development secret agree, and no others', () => {
    const dev = (secret: string) => () => ({ own: [{ version: 1, fingerprint: secret }], known: [], sharedSecret: true });
    const keys = region({ ...everyone(() => dev('secret-a')), '0192': dev('secret-b') });
    const { versions, leftOut } = chooseKeyVersions(keys);
    expect([...versions.keys()]).toEqual(EIGHT.slice(0, 7));
    expect(leftOut.map((l) => l.municipalityCode)).toEqual(['0192']);
  });
});
