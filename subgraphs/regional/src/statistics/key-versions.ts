/** A key version of a member and its public key's fingerprint, as the member's shard reports it (statisticsKeys). */
export interface KeyVersion {
  version: number;
  fingerprint: string;
}

/** What one member's shard holds: its own key versions, the others' it knows, and whether it runs on the development secret. */
export interface MemberKeys {
  own: KeyVersion[];
  known: (KeyVersion & { municipalityCode: string })[];
  sharedSecret: boolean;
}

export interface KeyChoice {
  /** The members that can take part together, each with the key version every other of them knows. */
  versions: Map<string, number>;
  /** The members left out for their keys, with why, in the order they were left out. */
  leftOut: { municipalityCode: string; reason: string }[];
}

/** Whether member `n` knows version `v` of member `m`'s key: the same version with the same fingerprint. */
function knows(n: MemberKeys, m: string, mKeys: MemberKeys, v: KeyVersion): boolean {
  // Development: members on one shared secret agree with each other, on version 1.
  if (n.sharedSecret && mKeys.sharedSecret) return v.version === 1 && n.own.some((own) => own.fingerprint === v.fingerprint);
  return n.known.some((k) => k.municipalityCode === m && k.version === v.version && k.fingerprint === v.fingerprint);
}

const listOf = (codes: readonly string[]) => codes.join(', ');

/**
 * The members of a statistics round and each one's key version. The masks of a pair cancel only
 * if both sides use the same two keys, so every participant must know the version each other
 * participant uses. For each member that is its own version known by the most of the others
 * (ties: the newest), so a rotation moves to the new key once every participant knows it and not
 * before. While some pair cannot agree, the member in the most such pairs is left out (ties: the
 * one whose own key is unknown to more, then the later kommunkod) and the rest chosen again: a
 * member whose key the others do not know yet (a ninth, before they add it) is left out alone,
 * and so is one that knows none of the others' keys. At most one pass per member.
 */
export function chooseKeyVersions(keys: ReadonlyMap<string, MemberKeys>): KeyChoice {
  let pool = [...keys.keys()].sort();
  const leftOut: KeyChoice['leftOut'] = [];
  for (let pass = 0; pass <= keys.size; pass++) {
    const best = new Map<string, { version: number; lacking: string[] }>();
    for (const m of pool) {
      const mKeys = keys.get(m)!;
      const candidates = mKeys.own.map((v) => ({
        version: v.version,
        lacking: pool.filter((n) => n !== m && !knows(keys.get(n)!, m, mKeys, v)),
      }));
      candidates.sort((a, b) => a.lacking.length - b.lacking.length || b.version - a.version);
      best.set(m, candidates[0] ?? { version: 0, lacking: pool.filter((n) => n !== m) });
    }
    if (pool.every((m) => best.get(m)!.lacking.length === 0)) {
      return { versions: new Map(pool.map((m) => [m, best.get(m)!.version])), leftOut };
    }
    const unknownTo = (x: string) => best.get(x)!.lacking;
    const ignorant = (x: string) => pool.filter((m) => unknownTo(m).includes(x));
    const worst = [...pool].sort(
      (a, b) =>
        unknownTo(b).length + ignorant(b).length - (unknownTo(a).length + ignorant(a).length) ||
        unknownTo(b).length - unknownTo(a).length ||
        b.localeCompare(a),
    )[0]!;
    const { version, lacking } = best.get(worst)!;
    const reason =
      version === 0
        ? 'it holds no statistics key'
        : lacking.length > 0
          ? `its statistics key (version ${version}) is not yet known to ${listOf(lacking)}`
          : `it does not know the statistics key of ${listOf(ignorant(worst).map((m) => `${m} (version ${best.get(m)!.version})`))}`;
    leftOut.push({ municipalityCode: worst, reason });
    pool = pool.filter((m) => m !== worst);
  }
  throw new Error('chooseKeyVersions did not settle'); // unreachable: each pass leaves one member out
}
