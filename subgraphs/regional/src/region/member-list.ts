import type { EntityManager } from '@mikro-orm/postgresql';
import type { MunicipalityRef } from './region.type';

/** How long a replica answers the region's member list from what it last read: members change only when the region is redeployed. */
export const DEFAULT_MEMBER_LIST_MAX_AGE_MS = 5_000;

/**
 * The region's members as the `municipality` table lists them, read at most once
 * every `maxAgeMs` by this process (concurrent requests share one read).
 *
 * Why: every region query (each capacity board, each coordinator's overview)
 * starts with this list, and its statement was about one in nine of the
 * statements behind a region query; the list changes only when a deployment
 * synchronises a new registry at its start. Why from the table and not from the
 * registry this process was started with: during a rolling update the replicas
 * hold different registries, while the table gives them one list — at most
 * `maxAgeMs` late. 0 reads it for every request.
 */
export class MemberList {
  private cached?: { rows: readonly MunicipalityRef[]; readAt: number };
  private reading?: Promise<readonly MunicipalityRef[]>;

  constructor(
    private readonly read: () => Promise<MunicipalityRef[]>,
    private readonly maxAgeMs = DEFAULT_MEMBER_LIST_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async members(): Promise<readonly MunicipalityRef[]> {
    if (this.cached && this.now() - this.cached.readAt < this.maxAgeMs) return this.cached.rows;
    this.reading ??= this.readOnce().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async readOnce(): Promise<readonly MunicipalityRef[]> {
    const readAt = this.now();
    // Frozen: the same rows answer many requests, so no request may change them.
    const rows = Object.freeze((await this.read()).map((row) => Object.freeze({ code: row.code, name: row.name })));
    this.cached = { rows, readAt };
    return rows;
  }
}

/** The table's members in kommunkod order, as plain rows (no entities: nothing here changes them). */
export function readMembers(em: EntityManager): Promise<MunicipalityRef[]> {
  return em.getConnection().execute<MunicipalityRef[]>('select code, name from municipality order by code', [], 'all');
}
