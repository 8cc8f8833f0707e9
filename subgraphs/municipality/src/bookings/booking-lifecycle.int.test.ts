import { bearer, Role, waitUntilBlocked } from '@sodertorn/testing';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { caller, codes, newKey, newUnit, sql } from '../__tests__/placement-support';
import { HousingUnitStatus } from '../housing/housing-unit.enums';
import { startTestShard, type TestShard } from '../test-support';

const FIELDS = `id municipalityCode places startsOn endsOn status placementId sendingMunicipality expiresAt unit { id }`;

const HOLD = `mutation($input: HoldPlacesInput!, $key: String!) {
  holdPlaces(municipalityCode: "0138", input: $input, idempotencyKey: $key) { ${FIELDS} }
}`;
const byId = (name: string, extra = '') => `mutation($id: ID!, $key: String!${extra ? `, ${extra}` : ''}) {
  ${name}(municipalityCode: "0138", id: $id, idempotencyKey: $key${extra.includes('endsOn') ? ', endsOn: $endsOn' : ''}) { ${FIELDS} }
}`;
const CONFIRM = byId('confirmBooking');
const RELEASE = byId('releaseBooking');
const END = byId('endBooking', '$endsOn: LocalDate!');
const RELEASE_EXPIRED = `mutation { releaseExpiredHolds(municipalityCode: "0138") }`;
const FREE = `query($r: [_Any!]!, $from: LocalDate!, $to: LocalDate!) { _entities(representations: $r) { ... on HousingUnit { freePlaces(from: $from, to: $to) } } }`;

interface BookingRow {
  id: string;
  status: string;
  places: number;
  starts_on: string;
  ends_on: string;
  expires_at: string | null;
  updated_at: string;
}

describe('Bookings: the receiving side of the lifecycle', () => {
  let shard: TestShard;
  let gql: ReturnType<typeof caller>;
  let coordinator: Record<string, string>;
  let service: Record<string, string>;
  let manager: Record<string, string>;
  let otherManager: Record<string, string>;
  let caseworker: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0138');
    gql = caller(shard);
    [coordinator, service, manager, otherManager, caseworker] = await Promise.all([
      bearer(Role.COORDINATOR),
      bearer(Role.SERVICE),
      bearer(Role.HOUSING_MANAGER, '0138'),
      bearer(Role.HOUSING_MANAGER, '0126'),
      bearer(Role.CASEWORKER, '0138'),
    ]);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const holdInput = (unitId: string, changes: Record<string, unknown> = {}) => ({
    unitId,
    places: 1,
    startsOn: '2027-02-01',
    endsOn: '2027-03-01',
    placementId: randomUUID(),
    sendingMunicipality: '0126',
    ...changes,
  });
  const hold = (input: Record<string, unknown>, headers = service, key = newKey()) => gql(HOLD, { input, key }, headers);
  const row = async (id: string) =>
    (
      await sql<BookingRow>(
        shard,
        `select id, status, places, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on, expires_at, updated_at from booking where id = ?`,
        [id],
      )
    )[0]!;
  const bookingsOf = (unitId: string) =>
    sql<{ id: string; status: string }>(shard, 'select id, status from booking where unit_id = ? order by created_at', [unitId]);
  const freePlaces = async (unitId: string, from = '2027-02-01', to = '2027-03-01') => {
    const result = await gql(FREE, { r: [{ __typename: 'HousingUnit', municipalityCode: '0138', id: unitId }], from, to }, coordinator);
    expect(result.errors).toBeUndefined();
    return result.data!._entities[0].freePlaces as number;
  };
  const expire = (id: string) => sql(shard, `update booking set expires_at = now() - interval '1 minute' where id = ?`, [id]);

  async function heldBooking(places = 1, unitPlaces = 3): Promise<{ unitId: string; id: string }> {
    const unit = await newUnit(shard, unitPlaces);
    const result = await hold(holdInput(unit.id, { places }));
    expect(result.errors).toBeUndefined();
    return { unitId: unit.id, id: result.data!.holdPlaces.id };
  }

  async function confirmedBooking(): Promise<{ unitId: string; id: string }> {
    const booking = await heldBooking();
    expect((await gql(CONFIRM, { id: booking.id, key: newKey() }, service)).errors).toBeUndefined();
    return booking;
  }

  describe('holdPlaces', () => {
    it('holds places until expiresAt, for the placement and sending municipality given', async () => {
      const unit = await newUnit(shard, 3);
      const input = holdInput(unit.id, { places: 2, holdMinutes: 30 });
      const [{ now }] = (await sql<{ now: number }>(shard, 'select (extract(epoch from now()) * 1000)::float8 as now')) as [{ now: number }];
      const result = await hold(input);
      expect(result.errors).toBeUndefined();
      const booking = result.data!.holdPlaces;
      expect(booking).toMatchObject({
        municipalityCode: '0138',
        places: 2,
        startsOn: '2027-02-01',
        endsOn: '2027-03-01',
        status: 'HELD',
        placementId: input.placementId,
        sendingMunicipality: '0126',
        unit: { id: unit.id },
      });
      const minutesHeld = (Date.parse(booking.expiresAt) - now) / 60_000;
      expect(minutesHeld).toBeGreaterThan(29.5);
      expect(minutesHeld).toBeLessThan(30.5);
      expect(await freePlaces(unit.id)).toBe(1);
    });

    it('holds for 60 minutes unless told otherwise', async () => {
      const unit = await newUnit(shard, 1);
      const result = await hold(holdInput(unit.id));
      const [{ minutes }] = (await sql<{ minutes: number }>(
        shard,
        'select extract(epoch from expires_at - created_at) / 60 as minutes from booking where id = ?',
        [result.data!.holdPlaces.id],
      )) as [{ minutes: number }];
      expect(Number(minutes)).toBeCloseTo(60, 0);
    });

    it('refuses more places than are free with NO_FREE_PLACES, saying how many are, and books nothing', async () => {
      const unit = await newUnit(shard, 3);
      expect((await hold(holdInput(unit.id, { places: 2, startsOn: '2027-02-10', endsOn: '2027-02-20' }))).errors).toBeUndefined();
      const result = await hold(holdInput(unit.id, { places: 2 }));
      expect(codes(result)).toEqual(['NO_FREE_PLACES']);
      expect(result.errors![0]!.extensions).toMatchObject({ freePlaces: 1, asked: 2 });
      expect(result.errors![0]!.message).toContain('1 place is free');
      expect(await bookingsOf(unit.id)).toHaveLength(1);
      // Outside the held days the unit is free.
      expect((await hold(holdInput(unit.id, { places: 3, startsOn: '2027-02-20', endsOn: '2027-03-01' }))).errors).toBeUndefined();
    });

    it('finds no free places in a unit out of service', async () => {
      const unit = await newUnit(shard, 4, HousingUnitStatus.OUT_OF_SERVICE);
      const result = await hold(holdInput(unit.id));
      expect(codes(result)).toEqual(['NO_FREE_PLACES']);
      expect(result.errors![0]!.message).toContain('0 places are free');
    });

    it.each([
      ['startsOn', { startsOn: '1999-12-31' }],
      ['endsOn', { endsOn: '2027-02-01' }],
      ['endsOn', { endsOn: '2029-03-01' }],
      ['places', { places: 0 }],
      ['holdMinutes', { holdMinutes: 0 }],
      ['holdMinutes', { holdMinutes: 10_081 }],
      ['sendingMunicipality', { sendingMunicipality: '126' }],
      ['placementId', { placementId: 'placement-7' }],
    ])('refuses a bad %s (%j), naming it, and books nothing', async (field, change) => {
      const unit = await newUnit(shard, 2);
      const result = await hold(holdInput(unit.id, change));
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
      expect(await bookingsOf(unit.id)).toEqual([]);
    });

    it('accepts the longest hold, a week', async () => {
      const unit = await newUnit(shard, 2);
      expect((await hold(holdInput(unit.id, { holdMinutes: 10_080 }))).errors).toBeUndefined();
    });

    it('answers NOT_FOUND for an unknown unit, and for a unit id that is not a UUID', async () => {
      const unknown = randomUUID();
      const missing = await hold(holdInput(unknown));
      expect(codes(missing)).toEqual(['NOT_FOUND']);
      expect(missing.errors![0]!.message).toBe(`Housing unit ${unknown} was not found. Check the id and that it belongs to this municipality.`);
      expect(codes(await hold(holdInput('unit-1')))).toEqual(['NOT_FOUND']);
    });

    it('says what is wrong with a placementId that is not a UUID', async () => {
      const unit = await newUnit(shard, 2);
      const result = await hold(holdInput(unit.id, { placementId: 'placement-7' }));
      expect(result.errors?.[0]?.extensions?.fields).toEqual([{ field: 'placementId', message: 'must be a UUID' }]);
    });

    it.each([
      ['a housing manager of the unit', () => manager],
      ['a caseworker', () => caseworker],
      // Holds are the placement saga's step: a coordinator offers through the region (offerPlacement).
      ['a coordinator', () => coordinator],
    ])('is refused to %s', async (_who, headers) => {
      const unit = await newUnit(shard, 2);
      expect(codes(await hold(holdInput(unit.id), headers()))).toEqual(['FORBIDDEN']);
      expect(await bookingsOf(unit.id)).toEqual([]);
      expect(await freePlaces(unit.id)).toBe(2);
    });
  });

  describe('confirm, release, end', () => {
    it('confirms a hold: CONFIRMED, no longer expiring', async () => {
      const { id } = await heldBooking();
      const result = await gql(CONFIRM, { id, key: newKey() }, manager);
      expect(result.errors).toBeUndefined();
      expect(result.data!.confirmBooking).toMatchObject({ id, status: 'CONFIRMED', expiresAt: null });
      expect(await row(id)).toMatchObject({ status: 'CONFIRMED', expires_at: null });
    });

    it('confirms a hold without an expiry (a local one) at any time', async () => {
      const { id } = await heldBooking();
      await sql(shard, 'update booking set expires_at = null where id = ?', [id]);
      const result = await gql(CONFIRM, { id, key: newKey() }, service);
      expect(result.errors).toBeUndefined();
      expect(await row(id)).toMatchObject({ status: 'CONFIRMED', expires_at: null });
    });

    it('refuses to confirm a released booking whose hold had run out as INVALID_TRANSITION from RELEASED, not HOLD_EXPIRED', async () => {
      const { id } = await heldBooking();
      await expire(id);
      await sql(shard, `update booking set status = 'RELEASED' where id = ?`, [id]);
      const result = await gql(CONFIRM, { id, key: newKey() }, service);
      expect(codes(result)).toEqual(['INVALID_TRANSITION']);
      expect(result.errors![0]!.extensions).toMatchObject({ from: 'RELEASED', to: 'CONFIRMED' });
    });

    it('refuses to confirm an expired hold with HOLD_EXPIRED, leaving it as it is', async () => {
      const { id } = await heldBooking();
      await expire(id);
      const before = await row(id);
      const result = await gql(CONFIRM, { id, key: newKey() }, service);
      expect(codes(result)).toEqual(['HOLD_EXPIRED']);
      expect(result.errors![0]!.message).toContain('expired');
      expect(await row(id)).toEqual(before);
    });

    it.each([
      ['a held', heldBooking],
      ['a confirmed', confirmedBooking],
    ])('releases %s booking, freeing its places', async (_what, make) => {
      const { id, unitId } = await make();
      expect(await freePlaces(unitId)).toBe(2);
      const result = await gql(RELEASE, { id, key: newKey() }, service);
      expect(result.data!.releaseBooking).toMatchObject({ id, status: 'RELEASED' });
      expect(await freePlaces(unitId)).toBe(3);
    });

    it("lets the unit's own housing manager release a local booking of it, but not a placement's", async () => {
      // A local booking (no regional placement), as the municipality's own records hold them.
      const unit = await newUnit(shard, 3);
      const [local] = await sql<{ id: string }>(
        shard,
        `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at, updated_at)
         values (gen_random_uuid(), ?, 1, '2027-02-01', '2027-03-01', 'CONFIRMED', now(), now()) returning id`,
        [unit.id],
      );
      const released = await gql(RELEASE, { id: local!.id, key: newKey() }, manager);
      expect(released.errors).toBeUndefined();
      expect(released.data!.releaseBooking).toMatchObject({ id: local!.id, status: 'RELEASED' });

      // A placement's hold is the region's to release (declinePlacement, cancelPlacement): the placement would be left behind.
      const { id, unitId } = await heldBooking();
      const refused = await gql(RELEASE, { id, key: newKey() }, manager);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', placementId: expect.any(String) });
      expect(refused.errors?.[0]?.message).toBe(
        `Booking ${id} is part of regional placement ${refused.errors![0]!.extensions!.placementId}; decline or cancel the placement (declinePlacement, cancelPlacement) instead. Nothing was changed.`,
      );
      expect((await row(id)).status).toBe('HELD');
      expect(await freePlaces(unitId)).toBe(2);

      // Confirmed, it is still the placement's.
      await sql(shard, `update booking set status = 'CONFIRMED', expires_at = null where id = ?`, [id]);
      const confirmed = await gql(RELEASE, { id, key: newKey() }, manager);
      expect(confirmed.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', placementId: expect.any(String) });
      expect((await row(id)).status).toBe('CONFIRMED');
      // Ended, nothing is in flight: the refusal is the lifecycle's own, from ENDED.
      await sql(shard, `update booking set status = 'ENDED' where id = ?`, [id]);
      const ended = await gql(RELEASE, { id, key: newKey() }, manager);
      expect(ended.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'ENDED', to: 'RELEASED' });
      expect(ended.errors?.[0]?.extensions?.placementId).toBeUndefined();
    });

    it('ends a confirmed booking, moving its end forward when earlier, never later', async () => {
      const early = await confirmedBooking();
      const result = await gql(END, { id: early.id, key: newKey(), endsOn: '2027-02-15' }, manager);
      expect(result.data!.endBooking).toMatchObject({ status: 'ENDED', startsOn: '2027-02-01', endsOn: '2027-02-15' });
      expect(await row(early.id)).toMatchObject({ status: 'ENDED', ends_on: '2027-02-15' });

      const late = await confirmedBooking();
      const kept = await gql(END, { id: late.id, key: newKey(), endsOn: '2027-06-01' }, service);
      expect(kept.data!.endBooking).toMatchObject({ status: 'ENDED', endsOn: '2027-03-01' });
    });

    it('refuses an end on or before the first night, naming endsOn', async () => {
      const { id } = await confirmedBooking();
      for (const endsOn of ['2027-02-01', '2027-01-20']) {
        const result = await gql(END, { id, key: newKey(), endsOn }, manager);
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: [{ field: 'endsOn', message: 'must be after the first night (2027-02-01); release the booking instead if no one moved in' }],
        });
      }
      // A day outside the calendar the service accepts at all is refused before the booking is looked at.
      const outside = await gql(END, { id, key: newKey(), endsOn: '1999-12-31' }, manager);
      expect(outside.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'endsOn', message: expect.stringMatching(/^must be from 2000-01-01 to /) }],
      });
      expect((await row(id)).status).toBe('CONFIRMED');
    });

    // Written out here, independently of the code: which mutation is allowed from which status.
    const allowed: Record<string, string[]> = { confirmBooking: ['HELD'], releaseBooking: ['HELD', 'CONFIRMED'], endBooking: ['CONFIRMED'] };
    const target: Record<string, string> = { confirmBooking: 'CONFIRMED', releaseBooking: 'RELEASED', endBooking: 'ENDED' };
    const mutation: Record<string, string> = { confirmBooking: CONFIRM, releaseBooking: RELEASE, endBooking: END };
    const cases = Object.keys(allowed).flatMap((name) => ['HELD', 'CONFIRMED', 'RELEASED', 'ENDED'].map((from) => [name, from] as const));
    it.each(cases)('%s from %s', async (name, from) => {
      const { id } = await heldBooking();
      await sql(shard, 'update booking set status = ? where id = ?', [from, id]);
      const before = await row(id);
      const result = await gql(mutation[name]!, { id, key: newKey(), endsOn: '2027-02-20' }, service);
      if (allowed[name]!.includes(from)) {
        expect(result.errors).toBeUndefined();
        expect((await row(id)).status).toBe(target[name]);
      } else {
        expect(codes(result)).toEqual(['INVALID_TRANSITION']);
        expect(result.errors![0]!.extensions).toMatchObject({ from, to: target[name] });
        expect(result.errors![0]!.message).toBe(
          `Booking ${id} cannot go from ${from} to ${target[name]}: ${target[name]} is reached only from ${allowed[name]!.join(' or ')}. Nothing was changed.`,
        );
        expect(await row(id)).toEqual(before);
      }
    });

    it.each([
      ['confirmBooking', CONFIRM, heldBooking, () => coordinator],
      ['confirmBooking', CONFIRM, heldBooking, () => otherManager],
      ['endBooking', END, confirmedBooking, () => coordinator],
      ['releaseBooking', RELEASE, confirmedBooking, () => otherManager],
      ['releaseBooking', RELEASE, confirmedBooking, () => caseworker],
      // Releasing is the saga's (or the reconciler's) step: a coordinator declines or cancels through the region.
      ['releaseBooking', RELEASE, heldBooking, () => coordinator],
      ['releaseBooking', RELEASE, confirmedBooking, () => coordinator],
    ] as const)('refuses %s to a role without the right', async (_name, query, make, headers) => {
      const { id } = await make();
      const before = await row(id);
      expect(codes(await gql(query, { id, key: newKey(), endsOn: '2027-02-20' }, headers()))).toEqual(['FORBIDDEN']);
      expect(await row(id)).toEqual(before);
    });

    it('answers NOT_FOUND for an unknown booking, and for an id that is not a UUID', async () => {
      const unknown = randomUUID();
      const missing = await gql(RELEASE, { id: unknown, key: newKey() }, service);
      expect(codes(missing)).toEqual(['NOT_FOUND']);
      expect(missing.errors![0]!.message).toBe(`Booking ${unknown} was not found. Check the id and that it belongs to this municipality.`);
      expect(codes(await gql(RELEASE, { id: 'booking-1', key: newKey() }, service))).toEqual(['NOT_FOUND']);
    });
  });

  describe('expired holds', () => {
    it('count as free: their places can be held again, and the old hold cannot be confirmed', async () => {
      const { unitId, id } = await heldBooking(3, 3);
      expect(await freePlaces(unitId)).toBe(0);
      expect(codes(await hold(holdInput(unitId)))).toEqual(['NO_FREE_PLACES']);
      await expire(id);
      expect(await freePlaces(unitId)).toBe(3);
      const again = await hold(holdInput(unitId, { places: 3 }));
      expect(again.errors).toBeUndefined();
      expect(codes(await gql(CONFIRM, { id, key: newKey() }, service))).toEqual(['HOLD_EXPIRED']);
    });

    it('are marked RELEASED by releaseExpiredHolds, which leaves live, unlimited and confirmed bookings alone', async () => {
      await sql(shard, `update booking set status = 'RELEASED' where status = 'HELD' and expires_at <= now()`); // earlier tests' leftovers
      const expired = await Promise.all([heldBooking(), heldBooking()]);
      for (const { id } of expired) await expire(id);
      const live = await heldBooking();
      const unlimited = await heldBooking();
      await sql(shard, 'update booking set expires_at = null where id = ?', [unlimited.id]);
      const confirmed = await confirmedBooking();

      const result = await gql(RELEASE_EXPIRED, {}, service);
      expect(result.errors).toBeUndefined();
      expect(result.data!.releaseExpiredHolds).toBe(2);
      for (const { id } of expired) expect((await row(id)).status).toBe('RELEASED');
      expect((await row(live.id)).status).toBe('HELD');
      expect((await row(unlimited.id)).status).toBe('HELD');
      expect((await row(confirmed.id)).status).toBe('CONFIRMED');
      expect((await gql(RELEASE_EXPIRED, {}, service)).data!.releaseExpiredHolds).toBe(0);
    });

    it.each([
      ['a coordinator', () => coordinator],
      ['a housing manager', () => manager],
      ['a caseworker', () => caseworker],
    ])('releaseExpiredHolds is refused to %s, releasing nothing', async (_who, headers) => {
      const { id } = await heldBooking();
      await expire(id);
      const result = await gql(RELEASE_EXPIRED, {}, headers());
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.data?.releaseExpiredHolds ?? null).toBeNull();
      expect((await row(id)).status).toBe('HELD');
    });
  });

  describe('row locks', () => {
    /** Runs `write` in another transaction that holds `lockSql`'s row while `call` is made, commits it, and returns the call's answer. */
    async function whileHeld(lockSql: string, lockParams: unknown[], call: () => Promise<unknown>, write: (other: Client) => Promise<unknown>) {
      const other = new Client({ connectionString: shard.database.url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query(lockSql, lockParams);
        const answer = call();
        await waitUntilBlocked(other);
        await write(other);
        await other.query('commit');
        return (await answer) as Awaited<ReturnType<typeof gql>>;
      } finally {
        await other.end();
      }
    }

    it('makes a hold wait for a writer that holds the unit, then count what it wrote: the free places are known and said', async () => {
      const unit = await newUnit(shard, 2);
      const result = await whileHeld(
        'select id from housing_unit where id = $1 for update',
        [unit.id],
        () => hold(holdInput(unit.id)),
        (other) =>
          other.query(
            `insert into booking (id, unit_id, places, starts_on, ends_on, status, created_at, updated_at)
             values (gen_random_uuid(), $1, 2, '2027-01-15', '2027-04-01', 'CONFIRMED', now(), now())`,
            [unit.id],
          ),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NO_FREE_PLACES', freePlaces: 0, asked: 1 });
      expect((await bookingsOf(unit.id)).map((b) => b.status)).toEqual(['CONFIRMED']);
    });

    it('makes a step wait for a writer that holds the booking, then judge it by the status that writer left', async () => {
      const { id, unitId } = await heldBooking();
      const result = await whileHeld(
        'select id from booking where id = $1 for update',
        [id],
        () => gql(CONFIRM, { id, key: newKey() }, service),
        (other) => other.query(`update booking set status = 'RELEASED' where id = $1`, [id]),
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'RELEASED', to: 'CONFIRMED' });
      expect((await row(id)).status).toBe('RELEASED');
      expect(await freePlaces(unitId)).toBe(3);
    });
  });

  describe('idempotency', () => {
    it('replays holdPlaces: the same booking back and still one booking, though no place is left', async () => {
      const unit = await newUnit(shard, 1);
      const input = holdInput(unit.id);
      const key = newKey();
      const first = await hold(input, service, key);
      const again = await hold(input, service, key);
      expect(first.errors).toBeUndefined();
      expect(again).toEqual(first);
      expect(await bookingsOf(unit.id)).toHaveLength(1);
      // A coordinator replaying the service's key gets neither the stored booking nor a second one.
      const replayed = await hold(input, coordinator, key);
      expect(codes(replayed)).toEqual(['FORBIDDEN']);
      expect(replayed.data?.holdPlaces ?? null).toBeNull();
      expect(await bookingsOf(unit.id)).toHaveLength(1);
    });

    it.each([
      ['confirmBooking', CONFIRM, heldBooking],
      ['releaseBooking', RELEASE, heldBooking],
      ['endBooking', END, confirmedBooking],
    ] as const)('replays %s with the same result, changing nothing the second time', async (name, query, make) => {
      const { id } = await make();
      const key = newKey();
      const first = await gql(query, { id, key, endsOn: '2027-02-20' }, service);
      expect(first.errors).toBeUndefined();
      const after = await row(id);
      const again = await gql(query, { id, key, endsOn: '2027-02-20' }, service);
      expect(again).toEqual(first);
      expect(await row(id)).toEqual(after);
    });

    it('returns the HELD booking on a late replay of the hold, though it has been confirmed since', async () => {
      const unit = await newUnit(shard, 2);
      const input = holdInput(unit.id);
      const key = newKey();
      const first = await hold(input, service, key);
      expect((await gql(CONFIRM, { id: first.data!.holdPlaces.id, key: newKey() }, service)).errors).toBeUndefined();
      const late = await hold(input, service, key);
      expect(late).toEqual(first);
      expect((await row(first.data!.holdPlaces.id)).status).toBe('CONFIRMED');
    });

    it('refuses the same key with other arguments with IDEMPOTENCY_KEY_REUSED, booking nothing', async () => {
      const unit = await newUnit(shard, 3);
      const input = holdInput(unit.id);
      const key = newKey();
      expect((await hold(input, service, key)).errors).toBeUndefined();
      expect(codes(await hold({ ...input, places: 2 }, service, key))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(codes(await hold({ ...input, holdMinutes: 61 }, service, key))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(await bookingsOf(unit.id)).toHaveLength(1);

      const { id } = await confirmedBooking();
      const endKey = newKey();
      expect((await gql(END, { id, key: endKey, endsOn: '2027-02-20' }, service)).errors).toBeUndefined();
      expect(codes(await gql(END, { id, key: endKey, endsOn: '2027-02-21' }, service))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(codes(await gql(RELEASE, { id, key: endKey }, service))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(await row(id)).toMatchObject({ status: 'ENDED', ends_on: '2027-02-20' });
    });
  });
});
