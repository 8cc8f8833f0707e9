import type { MikroORM } from '@mikro-orm/postgresql';
import { addDays, todayInStockholm } from '@sodertorn/service-kit';
import { createTestDatabase, type TestDatabase } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { openRegionalDatabase } from '../database/orm';
import { Placement } from '../placements/placement.entity';
import { PlacementStatus } from '../placements/placement.enums';
import { MunicipalityReachability } from './municipality-reachability.entity';
import { NotificationEvent } from './notification-event.entity';
import { writeDueEvents } from './watch';

const MINUTE = 60_000;
const timing = { holdWarningMs: 15 * MINUTE, endingSoonDays: 7, unavailableAfterMs: 2 * MINUTE };

describe('Events that time makes due', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  const now = new Date();
  const today = todayInStockholm(now);

  const placement = (status: PlacementStatus, fields: Partial<Placement>) => {
    const p = new Placement({
      sendingMunicipality: '0126',
      requestId: randomUUID(),
      receivingMunicipality: '0127',
      unitId: randomUUID(),
      places: 1,
      startsOn: addDays(today, -20),
      endsOn: addDays(today, 40),
      createdBy: 'test',
      idempotencyKey: randomUUID(),
    });
    return Object.assign(p, { status, ...fields });
  };
  const events = async () => orm.em.fork().find(NotificationEvent, {}, { orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    database = await createTestDatabase('regionalwatch');
    orm = await openRegionalDatabase(database.url);
  });
  afterAll(async () => {
    await orm.close();
    await database.drop();
  });

  it('writes one warning per lapsing hold and per placement ending soon, however often it runs, and none for the others', async () => {
    const em = orm.em.fork();
    const lapsing = placement(PlacementStatus.OFFERED, { holdExpiresAt: new Date(now.getTime() + 10 * MINUTE) });
    const laterHold = placement(PlacementStatus.OFFERED, { holdExpiresAt: new Date(now.getTime() + 30 * MINUTE) });
    const lapsed = placement(PlacementStatus.OFFERED, { holdExpiresAt: new Date(now.getTime() - MINUTE) });
    const beingAccepted = placement(PlacementStatus.OFFERED, {
      holdExpiresAt: new Date(now.getTime() + 5 * MINUTE),
      pendingStep: { to: PlacementStatus.ACCEPTED, key: 'k', actorSub: 'hm', note: null, since: now.toISOString() },
    });
    const endingSoon = placement(PlacementStatus.ACTIVE, { endsOn: addDays(today, 5) });
    const endingLater = placement(PlacementStatus.ACTIVE, { endsOn: addDays(today, 30) });
    const ended = placement(PlacementStatus.ENDED, { endsOn: addDays(today, 2) });
    em.persist([lapsing, laterHold, lapsed, beingAccepted, endingSoon, endingLater, ended]);
    await em.flush();

    expect(await writeDueEvents(orm.em.fork(), timing, now)).toBe(2);
    expect(await writeDueEvents(orm.em.fork(), timing, new Date(now.getTime() + 1_000))).toBe(0);
    const written = await events();
    expect(written.map((e) => [e.type, e.data.placementId, e.recipients]).sort()).toEqual([
      ['placement.ending-soon', endingSoon.id, [{ role: 'CASEWORKER', municipality: '0126' }]],
      ['placement.hold-lapsing', lapsing.id, [{ role: 'HOUSING_MANAGER', municipality: '0127' }]],
    ]);
    expect(written.find((e) => e.type === 'placement.hold-lapsing')!.data.deadline).toBe(lapsing.holdExpiresAt!.toISOString());
  });

  it('tells of an outage once it has lasted long enough, and once only', async () => {
    const em = orm.em.fork();
    const outage = Object.assign(new MunicipalityReachability('0128'), { unreachableSince: new Date(now.getTime() - MINUTE) });
    em.persist(outage);
    await em.flush();
    const before = (await events()).length;
    await writeDueEvents(orm.em.fork(), timing, now);
    expect(await events()).toHaveLength(before); // one minute is not two
    await writeDueEvents(orm.em.fork(), timing, new Date(now.getTime() + 2 * MINUTE));
    await writeDueEvents(orm.em.fork(), timing, new Date(now.getTime() + 3 * MINUTE));
    const told = (await events()).filter((e) => e.type === 'municipality.unavailable');
    expect(told.map((e) => e.data)).toEqual([{ municipality: '0128', unreachableSince: outage.unreachableSince!.toISOString() }]);
    expect((await orm.em.fork().findOneOrFail(MunicipalityReachability, { code: '0128' })).unavailableEventId).toBe(told[0]!.id);
  });
});
