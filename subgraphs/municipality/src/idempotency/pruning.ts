import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@sodertorn/service-kit';

/*
 * Idempotent operations are kept for IDEMPOTENCY_RETENTION_DAYS (default 30), then deleted.
 *
 * Why 30 days is far beyond any retry the placement saga makes (subgraphs/regional/src/placements):
 * the region derives each shard step's key from the placement and the step (`<placement>:hold`,
 * `:confirm`, `:release`, …) and sends the same key again only
 *  - when an offer is replayed while it is still PENDING_OFFER (placement-saga.ts, offer): the
 *    reconciler fails an offer that has been in flight for PENDING_GRACE_MS, 2 minutes;
 *  - when a transition is retried after one of its steps failed (accept, decline, cancel, move-in,
 *    end): a caller's retry after MUNICIPALITY_UNAVAILABLE, typically within minutes; an OFFERED
 *    placement lapses with its hold, PLACEMENT_HOLD_MINUTES, 60 by default and at most 10 080 (7 days);
 *  - from the reconciler, every RECONCILE_INTERVAL_MS (60 s by default), until the step and the one
 *    after it have both gone through, after which the placement leaves the state that repeats it.
 * The shard client itself never retries (one call, SHARD_TIMEOUT_MS). So within 30 days, more
 * than four times the longest hold and some 43 000 reconciler runs, every retry gets the stored answer.
 *
 * A key replayed after its row is pruned is a new key: the work is done again against the state as
 * it is now. For every step but holdPlaces that state has already moved on, and the booking's or
 * request's own transitions refuse the repeat (INVALID_TRANSITION) instead of returning the first
 * answer: nothing changes twice, but the caller sees an error (the region's releaseAndReopen treats
 * a request already reopened as done; a booking already released would keep the reconciler retrying,
 * which takes a shard unreachable for the whole retention). A replayed holdPlaces would hold places
 * again; the region replays it only for an offer still in flight, which the reconciler fails within
 * minutes, and a hold its placement does not point to is an orphan the reconciler releases. The same
 * key with other arguments is no longer refused with IDEMPOTENCY_KEY_REUSED.
 */

/** How often the pruning runs after its first run at start. */
export const IDEMPOTENCY_PRUNE_INTERVAL_MS = 60 * 60_000;

/** Rows deleted per statement, so one run never holds a long transaction over a large backlog. */
const PRUNE_BATCH = 5_000;

/**
 * Deletes the idempotent operations done more than `retentionDays` days ago (by the database's
 * clock), in batches; returns how many. A retry within the retention still finds its row.
 */
export async function pruneIdempotentOperations(em: EntityManager, retentionDays: number): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retentionDays must be a whole number, at least 1 (was ${retentionDays})`);
  let pruned = 0;
  for (;;) {
    const [row] = await em.execute<{ n: number }[]>(
      `with gone as (
         delete from idempotent_operation
          where key in (select key from idempotent_operation where created_at < now() - make_interval(days => ?::int) limit ?)
          returning 1)
       select count(*)::int as n from gone`,
      [retentionDays, PRUNE_BATCH],
    );
    const n = Number(row?.n ?? 0);
    pruned += n;
    if (n < PRUNE_BATCH) return pruned;
  }
}

export interface IdempotencyPruning {
  /** Stops the timer and waits for a run in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Prunes now (without delaying the start) and then every `intervalMs`, never two runs at once.
 * The timer is unref'd: it never keeps the process alive. A failed run is logged and tried again
 * at the next interval.
 */
export function startIdempotencyPruning(orm: MikroORM, options: { retentionDays: number; logger: Logger; intervalMs?: number }): IdempotencyPruning {
  const { retentionDays, logger, intervalMs = IDEMPOTENCY_PRUNE_INTERVAL_MS } = options;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = pruneIdempotentOperations(orm.em.fork(), retentionDays)
      .then((pruned) => {
        if (pruned > 0) logger.info({ pruned, retentionDays }, 'pruned idempotent operations older than the retention');
      })
      .catch((error: unknown) => {
        logger.warn({ errorClass: (error as Error)?.constructor?.name }, 'pruning idempotent operations failed; it will be tried again');
      })
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
