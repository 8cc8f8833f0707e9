import { bearer, Role, keptRequestId } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { caller, codes, newKey, newUnit, sql } from '../__tests__/placement-support';
import { startTestShard, type TestShard } from '../test-support';
import type { HousingUnit } from './housing-unit.entity';

const ADDRESSES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HousingUnit { id district streetAddress } } }`;
const HOLD = `mutation($input: HoldPlacesInput!, $key: String!) { holdPlaces(municipalityCode: "0138", input: $input, idempotencyKey: $key) { id } }`;
const byId = (name: string) => `mutation($id: ID!, $key: String!) { ${name}(municipalityCode: "0138", id: $id, idempotencyKey: $key) { id status } }`;
const END = `mutation($id: ID!, $key: String!) { endBooking(municipalityCode: "0138", id: $id, endsOn: "2027-03-10", idempotencyKey: $key) { id status } }`;

interface AuditRow {
  action: string;
  subject_id: string;
  actor_sub: string;
  actor_roles: string[];
  actor_municipality: string | null;
  request_id: string;
}

describe("A unit's street address for the receiving caseworker", () => {
  let shard: TestShard;
  let gql: ReturnType<typeof caller>;
  let service: Record<string, string>;
  /** Caseworkers of the sending municipality (0126), of a third one (0127), and of the owner (0138). */
  let receiving: Record<string, string>;
  let third: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0138');
    gql = caller(shard);
    [service, receiving, third] = await Promise.all([
      bearer(Role.SERVICE),
      bearer(Role.CASEWORKER, '0126', 'caseworker-0126-kim'),
      bearer(Role.CASEWORKER, '0127', 'caseworker-0127-sam'),
    ]);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const unitKey = (unit: HousingUnit) => ({ __typename: 'HousingUnit', municipalityCode: '0138', id: unit.id });
  const auditRows = (requestId: string) =>
    sql<AuditRow>(shard, 'select action, subject_id, actor_sub, actor_roles, actor_municipality, request_id from audit_log where request_id = ? order by seq', [
      requestId,
    ]);

  /** Reads addresses with a request id of its own, so the audit rows it writes can be found. */
  async function readAddresses(units: HousingUnit[], headers: Record<string, string>) {
    const requestId = keptRequestId();
    const result = await gql(ADDRESSES, { r: units.map(unitKey) }, { ...headers, 'x-request-id': requestId });
    return { result, audit: await auditRows(requestId) };
  }

  async function hold(unit: HousingUnit, sendingMunicipality = '0126'): Promise<string> {
    const input = { unitId: unit.id, places: 1, startsOn: '2027-03-01', endsOn: '2027-04-01', placementId: randomUUID(), sendingMunicipality };
    const result = await gql(HOLD, { input, key: newKey() }, service);
    expect(result.errors).toBeUndefined();
    return result.data!.holdPlaces.id;
  }
  async function step(query: string, id: string): Promise<void> {
    expect((await gql(query, { id, key: newKey() }, service)).errors).toBeUndefined();
  }

  it('is refused while the booking is only held, given once it is confirmed (and audited), and refused again once it has ended', async () => {
    const unit = await newUnit(shard, 2);
    const booking = await hold(unit);

    const held = await readAddresses([unit], receiving);
    expect(codes(held.result)).toEqual(['FORBIDDEN']);
    // A refused address is null; the rest of the unit is still there.
    expect(held.result.data!._entities).toEqual([{ id: unit.id, district: 'Centrum', streetAddress: null }]);
    expect(JSON.stringify(held.result)).not.toContain(unit.streetAddress);
    expect(held.audit).toEqual([]);

    await step(byId('confirmBooking'), booking);
    const confirmed = await readAddresses([unit], receiving);
    expect(confirmed.result.errors).toBeUndefined();
    expect(confirmed.result.data!._entities).toEqual([{ id: unit.id, district: 'Centrum', streetAddress: unit.streetAddress }]);
    expect(confirmed.audit).toEqual([
      expect.objectContaining({
        action: 'READ_STREET_ADDRESS',
        subject_id: unit.id,
        actor_sub: 'caseworker-0126-kim',
        actor_roles: ['CASEWORKER'],
        actor_municipality: '0126',
      }),
    ]);

    await step(END, booking);
    const ended = await readAddresses([unit], receiving);
    expect(codes(ended.result)).toEqual(['FORBIDDEN']);
    expect(ended.audit).toEqual([]);
  });

  it('is refused again once the confirmed booking is released', async () => {
    const unit = await newUnit(shard, 1);
    const booking = await hold(unit);
    await step(byId('confirmBooking'), booking);
    expect((await readAddresses([unit], receiving)).result.errors).toBeUndefined();
    await step(byId('releaseBooking'), booking);
    expect(codes((await readAddresses([unit], receiving)).result)).toEqual(['FORBIDDEN']);
  });

  it('is never given to a caseworker of a third municipality, even with a confirmed booking for another one in the unit', async () => {
    const unit = await newUnit(shard, 2);
    await step(byId('confirmBooking'), await hold(unit, '0126'));
    const { result, audit } = await readAddresses([unit], third);
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result)).not.toContain(unit.streetAddress);
    expect(audit).toEqual([]);
  });

  it('gives it unit by unit in one request: only where the caller has a confirmed booking', async () => {
    const [booked, other, heldOnly] = await Promise.all([newUnit(shard, 1), newUnit(shard, 1), newUnit(shard, 1)]);
    await step(byId('confirmBooking'), await hold(booked));
    await hold(heldOnly);
    const { result, audit } = await readAddresses([other, booked, heldOnly], receiving);
    expect(result.data!._entities).toEqual([
      { id: other.id, district: 'Centrum', streetAddress: null },
      { id: booked.id, district: 'Centrum', streetAddress: booked.streetAddress },
      { id: heldOnly.id, district: 'Centrum', streetAddress: null },
    ]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0, 'streetAddress'], 'FORBIDDEN'],
      [['_entities', 2, 'streetAddress'], 'FORBIDDEN'],
    ]);
    expect(audit.map((row) => row.subject_id)).toEqual([booked.id]);
    const text = JSON.stringify(result);
    expect(text).not.toContain(other.streetAddress);
    expect(text).not.toContain(heldOnly.streetAddress);
  });

  it('follows the same rule in a list of units reached through the Municipality entity, returning every unit', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { housingUnits(filter: { minPlaces: 45 }) { id streetAddress } } } }`;
    const r = [{ __typename: 'Municipality', code: '0138' }];
    const big = await newUnit(shard, 45);
    await step(byId('confirmBooking'), await hold(big));
    const allowed = await gql(query, { r }, receiving);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!._entities[0].housingUnits).toEqual([{ id: big.id, streetAddress: big.streetAddress }]);

    // Two more big units without a booking for 0126: the list keeps all three, the refused addresses null, one error each.
    const others = [await newUnit(shard, 46), await newUnit(shard, 47)];
    const mixed = await gql(query, { r }, receiving);
    const units = mixed.data!._entities[0].housingUnits as { id: string; streetAddress: string | null }[];
    expect(units).toHaveLength(3);
    expect(units).toEqual(
      expect.arrayContaining([
        { id: big.id, streetAddress: big.streetAddress },
        { id: others[0]!.id, streetAddress: null },
        { id: others[1]!.id, streetAddress: null },
      ]),
    );
    const refusedAt = others.map((unit) => units.findIndex((u) => u.id === unit.id)).sort();
    expect(mixed.errors).toEqual(
      refusedAt.map((i) =>
        expect.objectContaining({
          message:
            'HousingUnit.streetAddress is only for: housing_manager of the owning municipality, caseworker of a municipality with a confirmed booking in the unit.',
          path: ['_entities', 0, 'housingUnits', i, 'streetAddress'],
          extensions: { code: 'FORBIDDEN' },
        }),
      ),
    );
    for (const unit of others) expect(JSON.stringify(mixed)).not.toContain(unit.streetAddress);
  });

  it("is still given to the owner's housing managers for every unit, and refused to coordinators", async () => {
    const unit = await newUnit(shard, 1);
    const manager = await readAddresses([unit], await bearer(Role.HOUSING_MANAGER, '0138'));
    expect(manager.result.errors).toBeUndefined();
    expect(manager.result.data!._entities[0].streetAddress).toBe(unit.streetAddress);
    expect(manager.audit.map((row) => row.action)).toEqual(['READ_STREET_ADDRESS']);

    const booked = await newUnit(shard, 1);
    await step(byId('confirmBooking'), await hold(booked));
    expect(codes((await readAddresses([booked], await bearer(Role.COORDINATOR))).result)).toEqual(['FORBIDDEN']);
    expect(codes((await readAddresses([booked], await bearer(Role.HOUSING_MANAGER, '0126'))).result)).toEqual(['FORBIDDEN']);
  });
});
