import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { Placement } from '../placements/placement.entity';
import { PlacementStatus } from '../placements/placement.enums';
import { COORDINATORS, placementData, recipientsOf } from './event-types';
import { MunicipalityReachability } from './municipality-reachability.entity';
import { NotificationEvent } from './notification-event.entity';
import type { NotificationTiming } from './notification-config';

/**
 * Events that are due because time passed rather than because something changed: holds about
 * to lapse, placements about to end, municipalities unavailable for too long. Each is written
 * once (a dedupe key per placement and deadline, or the outage's own row), however often this runs.
 */
export async function writeDueEvents(
  em: EntityManager,
  timing: Pick<NotificationTiming, 'holdWarningMs' | 'endingSoonDays' | 'unavailableAfterMs'>,
  now: Date,
): Promise<number> {
  const due: NotificationEvent[] = [];
  // (pending_step in SQL: a JSON property's conditions would be read as conditions on its keys.)
  const lapsing = await em
    .createQueryBuilder(Placement)
    .where({ status: PlacementStatus.OFFERED, holdExpiresAt: { $gt: now, $lte: new Date(now.getTime() + timing.holdWarningMs) } })
    .andWhere('pending_step is null')
    .getResult();
  for (const p of lapsing) {
    const deadline = p.holdExpiresAt!.toISOString();
    due.push(
      new NotificationEvent(
        'placement.hold-lapsing',
        recipientsOf('placement.hold-lapsing', p),
        placementData(p, { deadline }),
        `hold-lapsing:${p.id}:${deadline}`,
      ),
    );
  }
  const today = todayInStockholm(now);
  const ending = await em.find(Placement, { status: PlacementStatus.ACTIVE, endsOn: { $gte: today, $lte: addDays(today, timing.endingSoonDays) } });
  for (const p of ending) {
    due.push(new NotificationEvent('placement.ending-soon', recipientsOf('placement.ending-soon', p), placementData(p), `ending-soon:${p.id}:${p.endsOn}`));
  }
  const known = new Set((await em.find(NotificationEvent, { dedupeKey: { $in: due.map((e) => e.dedupeKey!) } })).map((e) => e.dedupeKey));
  const fresh = due.filter((e) => !known.has(e.dedupeKey));
  fresh.forEach((e) => em.persist(e));

  let written = fresh.length;
  try {
    await em.flush();
  } catch (error) {
    // Another regional process wrote the same events at the same moment: they exist, which is what was asked.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    written = 0;
  }
  return written + (await writeOutageEvents(em, timing.unavailableAfterMs, now));
}

/** An outage and its event in one transaction; only the process whose update marks the outage as told writes the event. */
async function writeOutageEvents(em: EntityManager, unavailableAfterMs: number, now: Date): Promise<number> {
  const outages = await em.find(MunicipalityReachability, {
    unreachableSince: { $lte: new Date(now.getTime() - unavailableAfterMs) },
    unavailableEventId: null,
  });
  let written = 0;
  for (const outage of outages) {
    await em.transactional(async (tx) => {
      const event = new NotificationEvent('municipality.unavailable', [COORDINATORS], {
        municipality: outage.code,
        unreachableSince: outage.unreachableSince!.toISOString(),
      });
      const claimed = await tx.nativeUpdate(
        MunicipalityReachability,
        { code: outage.code, unreachableSince: outage.unreachableSince, unavailableEventId: null },
        { unavailableEventId: event.id },
      );
      if (claimed !== 1) return;
      tx.persist(event);
      written += 1;
    });
  }
  return written;
}
