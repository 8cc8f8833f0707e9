import type { Logger } from '@sodertorn/service-kit';
import { bearer, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { caller, codes, newKey, newUnit, sql } from '../__tests__/placement-support';
import { startTestShard, type TestShard } from '../test-support';
import { pruneIdempotentOperations, startIdempotencyPruning } from './pruning';

const FIELDS = 'id status expiresAt';
const HOLD = `mutation($input: HoldPlacesInput!, $key: String!) {
  holdPlaces(municipalityCode: "0138", input: $input, idempotencyKey: $key) { ${FIELDS} }
}`;
const RELEASE = `mutation($id: ID!, $key: String!) { releaseBooking(municipalityCode: "0138", id: $id, idempotencyKey: $key) { id status } }`;

describe('Pruning idempotent operations', () => {
  let shard: TestShard;
  let gql: ReturnType<typeof caller>;
  let service: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0138');
    gql = caller(shard);
    service = await bearer(Role.SERVICE);
  });
  afterAll(async () => {
    await shard.destroy();
  });
  beforeEach(async () => {
    await sql(shard, 'delete from idempotent_operation');
  });

  /** A stored operation done `ageDays` days ago (fractions allowed). */
  async function storedOperation(ageDays: number, key = newKey()): Promise<string> {
    await sql(
      shard,
      `insert into idempotent_operation (key, operation, arguments_hash, result, created_at)
       values (?, 'releaseBooking', repeat('0', 64), '{}', now() - ?::float8 * interval '1 day')`,
      [key, ageDays],
    );
    return key;
  }
  const age = (key: string, days: number) =>
    sql(shard, `update idempotent_operation set created_at = now() - ?::float8 * interval '1 day' where key = ?`, [days, key]);
  const keys = async () => (await sql<{ key: string }>(shard, 'select key from idempotent_operation order by created_at desc')).map((row) => row.key);
  const prune = (retentionDays = 30) => pruneIdempotentOperations(shard.orm.em.fork(), retentionDays);

  const holdInput = (unitId: string) => ({
    unitId,
    places: 1,
    startsOn: '2027-05-01',
    endsOn: '2027-05-10',
    placementId: randomUUID(),
    sendingMunicipality: '0126',
  });
  async function heldBooking(): Promise<{ id: string; unitId: string }> {
    const unit = await newUnit(shard, 3);
    const held = await gql(HOLD, { input: holdInput(unit.id), key: newKey() }, service);
    expect(held.errors).toBeUndefined();
    return { id: held.data!.holdPlaces.id, unitId: unit.id };
  }

  it('deletes the operations older than the retention and keeps the newer ones', async () => {
    const kept = [await storedOperation(0), await storedOperation(0.5), await storedOperation(29), await storedOperation(29.99)];
    await storedOperation(30.01);
    await storedOperation(31);
    await storedOperation(400);

    expect(await prune(30)).toBe(3);
    expect(await keys()).toEqual(kept);
    expect(await prune(30)).toBe(0);
    expect(await prune(1)).toBe(2);
    expect(await keys()).toEqual(kept.slice(0, 2));
  });

  it('works through a backlog larger than one batch', async () => {
    await sql(
      shard,
      `insert into idempotent_operation (key, operation, arguments_hash, result, created_at)
       select 'old-' || n, 'holdPlaces', repeat('0', 64), '{}', now() - interval '90 days' from generate_series(1, 12000) as n`,
    );
    const recent = await storedOperation(2);
    expect(await prune(30)).toBe(12_000);
    expect(await keys()).toEqual([recent]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a retention of %s days and deletes nothing', async (days) => {
    await storedOperation(400);
    await expect(prune(days)).rejects.toThrow(RangeError);
    expect(await keys()).toHaveLength(1);
  });

  it('still gives a saga step retried within the retention its stored answer', async () => {
    const booking = await heldBooking();
    const key = newKey();
    const first = await gql(RELEASE, { id: booking.id, key }, service);
    expect(first.data!.releaseBooking).toEqual({ id: booking.id, status: 'RELEASED' });
    await age(key, 29.9);

    expect(await prune(30)).toBe(0);
    const retried = await gql(RELEASE, { id: booking.id, key }, service);
    expect(retried.errors).toBeUndefined();
    expect(retried.data).toEqual(first.data);
  });

  // Consequence of pruning: a key replayed after its row is gone is a new key. The work runs again
  // against the state as it is now; for a transition that state has moved on, so the repeat is
  // refused (INVALID_TRANSITION) instead of answered — nothing happens twice, but the caller sees
  // an error. A replayed hold holds places again. Why that is acceptable: idempotency/pruning.ts.
  it('treats a key replayed after pruning as new: a transition is refused, a hold is made again', async () => {
    const booking = await heldBooking();
    const releaseKey = newKey();
    expect((await gql(RELEASE, { id: booking.id, key: releaseKey }, service)).errors).toBeUndefined();
    const unit = await newUnit(shard, 3);
    const input = holdInput(unit.id);
    const holdKey = newKey();
    const firstHold = await gql(HOLD, { input, key: holdKey }, service);
    expect(firstHold.errors).toBeUndefined();
    await age(releaseKey, 31);
    await age(holdKey, 31);

    expect(await prune(30)).toBe(2);

    const release = await gql(RELEASE, { id: booking.id, key: releaseKey }, service);
    expect(codes(release)).toEqual(['INVALID_TRANSITION']);
    const hold = await gql(HOLD, { input, key: holdKey }, service);
    expect(hold.errors).toBeUndefined();
    expect(hold.data!.holdPlaces.id).not.toBe(firstHold.data!.holdPlaces.id);
    expect(await sql(shard, `select status from booking where unit_id = ?`, [unit.id])).toEqual([{ status: 'HELD' }, { status: 'HELD' }]);
  });

  describe('running in the service', () => {
    const logger = () => ({ info: jest.fn(), warn: jest.fn() });
    const until = async (condition: () => Promise<boolean>) => {
      for (let i = 0; i < 200; i++) {
        if (await condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('condition never met');
    };

    it('prunes at start and then every interval, logging how many, until stopped', async () => {
      const log = logger();
      const recent = await storedOperation(3);
      await storedOperation(31);
      const pruning = startIdempotencyPruning(shard.orm, { retentionDays: 30, logger: log as unknown as Logger, intervalMs: 50 });
      try {
        await until(async () => (await keys()).length === 1);
        expect(log.info).toHaveBeenCalledWith({ pruned: 1, retentionDays: 30 }, 'pruned idempotent operations older than the retention');

        await storedOperation(45);
        await until(async () => (await keys()).length === 1);
        expect(await keys()).toEqual([recent]);
      } finally {
        await pruning.stop();
      }
      await storedOperation(60);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await keys()).toHaveLength(2);
      expect(log.warn).not.toHaveBeenCalled();
    });

    it('logs a failed run (its error class only) and does not throw', async () => {
      const log = logger();
      const pruning = startIdempotencyPruning(shard.orm, { retentionDays: 0, logger: log as unknown as Logger, intervalMs: 60_000 });
      await until(async () => log.warn.mock.calls.length > 0);
      await pruning.stop();
      expect(log.warn).toHaveBeenCalledWith({ errorClass: 'RangeError' }, 'pruning idempotent operations failed; it will be tried again');
    });
  });
});
