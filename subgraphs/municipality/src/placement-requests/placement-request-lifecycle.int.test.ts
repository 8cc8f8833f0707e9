import { bearer, Role, waitUntilBlocked } from '@sodertorn/testing';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { caller, codes, newKey, newParticipant, sql } from '../__tests__/placement-support';
import { ParticipantPhase } from '../participants/participant.enums';
import { Participant } from '../participants/participant.entity';
import { startTestShard, type TestShard } from '../test-support';
import { caseReference } from './case-reference';

const SHARD_KEY = 'test-case-reference-key-of-0126-0123456789';
const FIELDS = `id municipalityCode caseReference status urgency earliestStart expectedDurationDays needsWheelchairAccess supportNeeds allowedKinds placementId waitingDays householdSize`;

const CREATE = `mutation($participantId: ID!, $input: CreatePlacementRequestInput!, $key: String, $code: ID) {
  createPlacementRequest(municipalityCode: $code, participantId: $participantId, input: $input, idempotencyKey: $key) { ${FIELDS} }
}`;

/** Each transition mutation, its extra arguments, and the statuses it is allowed from (written out here, independently of the code). */
const TRANSITIONS = {
  markPlacementRequestOffered: { to: 'OFFERED', from: ['OPEN'], extra: { placementId: 'ID!' } },
  reopenPlacementRequest: { to: 'OPEN', from: ['OFFERED', 'ACCEPTED'], extra: {} },
  markPlacementRequestAccepted: { to: 'ACCEPTED', from: ['OFFERED'], extra: {} },
  recordMoveIn: { to: 'ACTIVE', from: ['ACCEPTED'], extra: {} },
  recordPlacementEnd: { to: 'ENDED', from: ['ACTIVE'], extra: {} },
  cancelPlacementRequest: { to: 'CANCELLED', from: ['DRAFT', 'OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE'], extra: {} },
} as const;
type TransitionName = keyof typeof TRANSITIONS;
const ALL_STATUSES = ['DRAFT', 'OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED', 'CANCELLED'];

function transitionMutation(name: TransitionName): string {
  const extra = Object.entries(TRANSITIONS[name].extra);
  const params = extra.map(([arg, type]) => `, $${arg}: ${type}`).join('');
  const args = extra.map(([arg]) => `, ${arg}: $${arg}`).join('');
  return `mutation($id: ID!, $key: String!, $code: ID${params}) { ${name}(municipalityCode: $code, id: $id${args}, idempotencyKey: $key) { ${FIELDS} } }`;
}

const validInput = {
  urgency: 'HIGH',
  earliestStart: '2026-12-15',
  expectedDurationDays: 90,
  allowedKinds: ['PROTECTED', 'TRAINING_FLAT', 'PROTECTED'],
};

interface RequestRow {
  id: string;
  status: string;
  placement_id: string | null;
  updated_at: string;
}

describe('Placement requests: the sending side of the lifecycle', () => {
  let shard: TestShard;
  let gql: ReturnType<typeof caller>;
  let caseworker: Record<string, string>;
  let otherCaseworker: Record<string, string>;
  let coordinator: Record<string, string>;
  let service: Record<string, string>;
  let housingManager: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126');
    gql = caller(shard);
    [caseworker, otherCaseworker, coordinator, service, housingManager] = await Promise.all([
      bearer(Role.CASEWORKER, '0126'),
      bearer(Role.CASEWORKER, '0127'),
      bearer(Role.COORDINATOR),
      bearer(Role.SERVICE),
      bearer(Role.HOUSING_MANAGER, '0126'),
    ]);
  });
  afterAll(async () => {
    await shard.destroy();
  });

  const create = (participantId: string, input: Record<string, unknown> = validInput, headers = caseworker, key = newKey()) =>
    gql(CREATE, { participantId, input, key }, headers);
  const row = async (id: string) => (await sql<RequestRow>(shard, 'select id, status, placement_id, updated_at from placement_request where id = ?', [id]))[0]!;
  const requestsOf = async (participantId: string) =>
    sql<RequestRow>(shard, 'select id, status from placement_request where participant_id = ?', [participantId]);
  const setStatus = (id: string, status: string) => sql(shard, 'update placement_request set status = ? where id = ?', [status, id]);

  /** A fresh participant with one OPEN request, made through the API. */
  async function openRequest(): Promise<{ participant: Participant; id: string }> {
    const participant = await newParticipant(shard);
    const result = await create(participant.id);
    expect(result.errors).toBeUndefined();
    return { participant, id: result.data!.createPlacementRequest.id };
  }

  function transition(name: TransitionName, id: string, headers: Record<string, string>, key = newKey(), extra: Record<string, unknown> = {}) {
    const defaults = name === 'markPlacementRequestOffered' ? { placementId: randomUUID() } : {};
    return gql(transitionMutation(name), { id, key, code: '0126', ...defaults, ...extra }, headers);
  }

  describe('createPlacementRequest', () => {
    it('opens a request with the needs profile, de-duplicating the kinds, and defaults for what was left out', async () => {
      const participant = await newParticipant(shard, ParticipantPhase.ACTIVE, 2);
      const result = await create(participant.id);
      expect(result.errors).toBeUndefined();
      const created = result.data!.createPlacementRequest;
      expect(created).toEqual({
        id: expect.any(String),
        municipalityCode: '0126',
        caseReference: caseReference(SHARD_KEY, created.id),
        status: 'OPEN',
        urgency: 'HIGH',
        earliestStart: '2026-12-15',
        expectedDurationDays: 90,
        needsWheelchairAccess: false,
        supportNeeds: [],
        allowedKinds: ['PROTECTED', 'TRAINING_FLAT'],
        placementId: null,
        waitingDays: 0,
        householdSize: 3,
      });
      const [stored] = await sql(shard, 'select participant_id, status, allowed_kinds, support_needs from placement_request where id = ?', [created.id]);
      expect(stored).toEqual({ participant_id: participant.id, status: 'OPEN', allowed_kinds: ['PROTECTED', 'TRAINING_FLAT'], support_needs: [] });
    });

    it('stores wheelchair access and support needs when given', async () => {
      const participant = await newParticipant(shard);
      const result = await create(participant.id, {
        ...validInput,
        needsWheelchairAccess: true,
        supportNeeds: ['MENTOR', 'ADDICTION_CARE', 'MENTOR'],
        allowedKinds: ['SUPPORTED'],
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.createPlacementRequest).toMatchObject({
        needsWheelchairAccess: true,
        supportNeeds: ['MENTOR', 'ADDICTION_CARE'],
        allowedKinds: ['SUPPORTED'],
      });
    });

    it('refuses a duration outside 1–730 and an empty list of kinds, naming each field, and writes nothing', async () => {
      const participant = await newParticipant(shard);
      for (const [expectedDurationDays, allowedKinds] of [
        [0, []],
        [731, []],
      ] as const) {
        const result = await create(participant.id, { ...validInput, expectedDurationDays, allowedKinds });
        expect(codes(result)).toEqual(['VALIDATION_FAILED']);
        const fields = (result.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
        expect(fields).toEqual(['allowedKinds', 'expectedDurationDays']);
      }
      expect(await requestsOf(participant.id)).toEqual([]);
      expect((await create(participant.id, { ...validInput, expectedDurationDays: 730 })).errors).toBeUndefined();
    });

    it.each([ParticipantPhase.COMPLETED, ParticipantPhase.DISCONTINUED])('refuses a participant who has exited (%s), naming participantId', async (phase) => {
      const participant = await newParticipant(shard, phase);
      const result = await create(participant.id);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'participantId' }] });
      expect(result.errors![0]!.message).toContain(phase);
      expect(await requestsOf(participant.id)).toEqual([]);
    });

    it.each(['OPEN', 'MATCHED', 'OFFERED', 'ACCEPTED', 'ACTIVE'])('refuses a second request while one is %s, naming participantId', async (status) => {
      const { participant, id } = await openRequest();
      await setStatus(id, status);
      const result = await create(participant.id);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'participantId' }] });
      expect(result.errors![0]!.message).toContain(status);
      expect(await requestsOf(participant.id)).toEqual([{ id, status }]);
    });

    it.each(['DRAFT', 'ENDED', 'CANCELLED'])('accepts a new request when the earlier one is %s', async (status) => {
      const { participant, id } = await openRequest();
      await setStatus(id, status);
      const result = await create(participant.id);
      expect(result.errors).toBeUndefined();
      expect((await requestsOf(participant.id)).map((r) => r.status).sort()).toEqual([status, 'OPEN'].sort());
    });

    it('lets only one of several concurrent requests for the same participant through', async () => {
      const participant = await newParticipant(shard);
      const results = await Promise.all(Array.from({ length: 8 }, () => create(participant.id)));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expect(results.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual(Array(7).fill('VALIDATION_FAILED'));
      expect(await requestsOf(participant.id)).toHaveLength(1);
    });

    it('is backed by the database: a second live request is refused even when written directly', async () => {
      const { participant } = await openRequest();
      await expect(
        sql(
          shard,
          `insert into placement_request (id, participant_id, status, urgency, earliest_start, expected_duration_days, allowed_kinds, created_at, updated_at)
           values (?, ?, 'OFFERED', 'NORMAL', '2027-01-01', 30, '{PROTECTED}', now(), now())`,
          [randomUUID(), participant.id],
        ),
      ).rejects.toThrow(/placement_request_one_live_per_participant/);
    });

    it('answers NOT_FOUND for an unknown participant', async () => {
      expect(codes(await create(randomUUID()))).toEqual(['NOT_FOUND']);
    });

    it.each([
      ['a caseworker of another municipality', () => otherCaseworker],
      ['a coordinator', () => coordinator],
      ['a housing manager', () => housingManager],
    ])('is refused to %s, writing nothing', async (_who, headers) => {
      const participant = await newParticipant(shard);
      const result = await gql(CREATE, { participantId: participant.id, input: validInput, key: newKey(), code: '0126' }, headers());
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(await requestsOf(participant.id)).toEqual([]);
    });
  });

  describe("the region's view: Municipality.placementRequests", () => {
    const REGION_VIEW = `query($statuses: [PlacementRequestStatus!]) {
      myMunicipality(municipalityCode: "0126") { placementRequests(statuses: $statuses) { id caseReference status urgency allowedKinds supportNeeds needsWheelchairAccess waitingDays householdSize excludedMunicipalities } }
    }`;

    it('gives a coordinator every OPEN request of the municipality, longest waiting first, pseudonymous', async () => {
      const first = await openRequest();
      const offered = await openRequest();
      await setStatus(offered.id, 'OFFERED');
      await sql(shard, `update placement_request set created_at = now() - interval '10 days' where id = ?`, [first.id]);

      const result = await gql(REGION_VIEW, { statuses: ['OPEN'] }, coordinator);
      expect(result.errors).toBeUndefined();
      const listed = result.data!.myMunicipality.placementRequests as { id: string; status: string; caseReference: string; waitingDays: number }[];
      const open = await sql<{ id: string }>(shard, `select id from placement_request where status = 'OPEN' order by created_at, id`);
      expect(listed.map((r) => r.id)).toEqual(open.map((r) => r.id));
      expect(listed[0]).toMatchObject({ id: first.id, waitingDays: 10, caseReference: caseReference(SHARD_KEY, first.id) });
      expect(listed.map((r) => r.id)).not.toContain(offered.id);
      expect(new Set(listed.map((r) => r.status))).toEqual(new Set(['OPEN']));
      expect(JSON.stringify(result)).not.toContain(first.participant.lastName);
      expect(JSON.stringify(result)).not.toContain(first.participant.personalIdentityNumber);
    });

    it('gives every status when none are named, and several when several are', async () => {
      const all = await gql(REGION_VIEW, {}, coordinator);
      expect(all.data!.myMunicipality.placementRequests).toHaveLength((await sql(shard, 'select id from placement_request')).length);
      const some = await gql(REGION_VIEW, { statuses: ['OFFERED', 'ENDED'] }, coordinator);
      const expected = await sql(shard, `select id from placement_request where status in ('OFFERED', 'ENDED')`);
      expect(some.data!.myMunicipality.placementRequests).toHaveLength(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('reaches a coordinator through the Municipality entity too, as the gateway fans it out', async () => {
      const result = await gql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { code placementRequests(statuses: [OPEN]) { id } } } }`,
        { r: [{ __typename: 'Municipality', code: '0126' }] },
        coordinator,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0].placementRequests.length).toBe((await sql(shard, `select id from placement_request where status = 'OPEN'`)).length);
    });

    it('is open to the service token and own caseworkers, refused to caseworkers elsewhere and housing managers', async () => {
      expect((await gql(REGION_VIEW, { statuses: ['OPEN'] }, service)).errors).toBeUndefined();
      expect((await gql(REGION_VIEW, { statuses: ['OPEN'] }, caseworker)).errors).toBeUndefined();
      const entity = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { placementRequests { id } } } }`;
      const elsewhere = await gql(entity, { r: [{ __typename: 'Municipality', code: '0126' }] }, otherCaseworker);
      expect(codes(elsewhere)).toEqual(['FORBIDDEN']);
      expect(elsewhere.data!._entities).toEqual([{ placementRequests: null }]);
      expect(codes(await gql(REGION_VIEW, {}, housingManager))).toEqual(['FORBIDDEN']);
    });
  });

  describe('transitions', () => {
    it('walks OPEN → OFFERED → ACCEPTED → ACTIVE → ENDED, setting the placement and placing the participant', async () => {
      const { participant, id } = await openRequest();
      const placementId = randomUUID();
      const offered = await transition('markPlacementRequestOffered', id, service, newKey(), { placementId });
      expect(offered.errors).toBeUndefined();
      expect(offered.data!.markPlacementRequestOffered).toMatchObject({ id, status: 'OFFERED', placementId });

      const accepted = await transition('markPlacementRequestAccepted', id, service);
      expect(accepted.data!.markPlacementRequestAccepted).toMatchObject({ status: 'ACCEPTED', placementId });
      expect((await shard.orm.em.fork().findOneOrFail(Participant, participant.id)).phase).toBe(ParticipantPhase.ACTIVE);

      const movedIn = await transition('recordMoveIn', id, caseworker);
      expect(movedIn.errors).toBeUndefined();
      expect(movedIn.data!.recordMoveIn).toMatchObject({ status: 'ACTIVE', placementId });
      expect((await shard.orm.em.fork().findOneOrFail(Participant, participant.id)).phase).toBe(ParticipantPhase.PLACED);

      const ended = await transition('recordPlacementEnd', id, service);
      expect(ended.data!.recordPlacementEnd).toMatchObject({ status: 'ENDED', placementId });
      expect(await row(id)).toMatchObject({ status: 'ENDED', placement_id: placementId });
    });

    it.each(['OFFERED', 'ACCEPTED'])('reopens a request that was %s, clearing the placement', async (status) => {
      const { id } = await openRequest();
      await transition('markPlacementRequestOffered', id, service);
      if (status === 'ACCEPTED') await transition('markPlacementRequestAccepted', id, service);
      expect((await row(id)).status).toBe(status);
      const result = await transition('reopenPlacementRequest', id, service);
      expect(result.data!.reopenPlacementRequest).toMatchObject({ status: 'OPEN', placementId: null });
      expect(await row(id)).toMatchObject({ status: 'OPEN', placement_id: null });
    });

    // Every mutation from every status: allowed exactly where the lifecycle says, INVALID_TRANSITION elsewhere.
    const cases = (Object.keys(TRANSITIONS) as TransitionName[]).flatMap((name) => ALL_STATUSES.map((from) => [name, from] as const));
    it.each(cases)('%s from %s', async (name, from) => {
      const { id } = await openRequest();
      await setStatus(id, from);
      const before = await row(id);
      const result = await transition(name, id, service);
      const { to, from: allowed } = TRANSITIONS[name];
      if ((allowed as readonly string[]).includes(from)) {
        expect(result.errors).toBeUndefined();
        expect(result.data![name].status).toBe(to);
        expect((await row(id)).status).toBe(to);
      } else {
        expect(codes(result)).toEqual(['INVALID_TRANSITION']);
        expect(result.errors![0]!.extensions).toMatchObject({ from, to });
        expect(result.errors![0]!.message).toContain(`from ${from} to ${to}`);
        expect(await row(id)).toEqual(before);
      }
    });

    it('refuses recording a move-in for a participant who has exited meanwhile', async () => {
      const { participant, id } = await openRequest();
      await setStatus(id, 'ACCEPTED');
      await sql(shard, `update participant set phase = 'DISCONTINUED', exit_date = '2026-11-01', exit_outcome = 'RELAPSE' where id = ?`, [participant.id]);
      const result = await transition('recordMoveIn', id, caseworker);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'id' }] });
      expect((await row(id)).status).toBe('ACCEPTED');
    });

    it.each([
      ['an exit phase without an exit date yet', `phase = 'DISCONTINUED'`],
      ['an exit date while the phase still says active', `exit_date = '2026-11-01', exit_outcome = 'COMPLETED'`],
    ])('refuses a move-in for a participant with %s, saying why without the outcome', async (_what, change) => {
      const { participant, id } = await openRequest();
      await setStatus(id, 'ACCEPTED');
      await sql(shard, `update participant set ${change} where id = ?`, [participant.id]);
      const result = await transition('recordMoveIn', id, caseworker);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'id' }] });
      expect(result.errors?.[0]?.message).toContain('can no longer be placed; cancel the request instead');
      expect((await row(id)).status).toBe('ACCEPTED');
    });

    it.each(['markPlacementRequestOffered', 'cancelPlacementRequest'] as const)('answers NOT_FOUND for %s of an id that is not a UUID', async (name) => {
      expect(codes(await transition(name, 'request-1', service))).toEqual(['NOT_FOUND']);
      expect(codes(await transition(name, 'request-1', caseworker))).toEqual(name === 'cancelPlacementRequest' ? ['NOT_FOUND'] : ['FORBIDDEN']);
    });

    it('waits for a transaction that holds the request, then judges the step by the status it left (the row lock)', async () => {
      const { id } = await openRequest();
      const other = new Client({ connectionString: shard.database.url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from placement_request where id = $1 for update', [id]);
        const offering = transition('markPlacementRequestOffered', id, service);
        await waitUntilBlocked(other);
        // Cancelled meanwhile: read before that commit, the request would still look OPEN and be offered.
        await other.query(`update placement_request set status = 'CANCELLED' where id = $1`, [id]);
        await other.query('commit');
        expect(codes(await offering)).toEqual(['INVALID_TRANSITION']);
        expect(await row(id)).toMatchObject({ status: 'CANCELLED', placement_id: null });
      } finally {
        await other.end();
      }
    });

    it('names the request and the allowed statuses when a step comes from the wrong status', async () => {
      const { id } = await openRequest();
      const refused = await transition('recordPlacementEnd', id, service);
      expect(refused.errors?.[0]?.message).toBe(
        `Placement request ${id} cannot go from OPEN to ENDED: ENDED is reached only from ACTIVE. Nothing was changed.`,
      );
    });

    it("waits for a transaction that holds the request before a caseworker's cancel, and then sees the placement that took it", async () => {
      const { id } = await openRequest();
      const placementId = randomUUID();
      const other = new Client({ connectionString: shard.database.url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from placement_request where id = $1 for update', [id]);
        const cancelling = transition('cancelPlacementRequest', id, caseworker);
        await waitUntilBlocked(other);
        // Offered meanwhile: read before that commit, the request would look free to cancel.
        await other.query(`update placement_request set status = 'OFFERED', placement_id = $2 where id = $1`, [id, placementId]);
        await other.query('commit');
        const refused = await cancelling;
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', placementId });
        expect(await row(id)).toMatchObject({ status: 'OFFERED', placement_id: placementId });
      } finally {
        await other.end();
      }
    });

    it('waits for a transaction that holds the participant before a move-in, and then sees that they exited', async () => {
      const { participant, id } = await openRequest();
      await setStatus(id, 'ACCEPTED');
      const other = new Client({ connectionString: shard.database.url });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from participant where id = $1 for update', [participant.id]);
        const movingIn = transition('recordMoveIn', id, service);
        await waitUntilBlocked(other);
        await other.query(`update participant set phase = 'DISCONTINUED', exit_date = '2026-11-01', exit_outcome = 'RELAPSE' where id = $1`, [participant.id]);
        await other.query('commit');
        expect((await movingIn).errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'id' }] });
        expect((await row(id)).status).toBe('ACCEPTED');
        expect((await sql<{ phase: string }>(shard, 'select phase from participant where id = ?', [participant.id]))[0]!.phase).toBe('DISCONTINUED');
      } finally {
        await other.end();
      }
    });

    it('refuses a placementId that is not a UUID, and an unknown request', async () => {
      const { id } = await openRequest();
      const bad = await transition('markPlacementRequestOffered', id, service, newKey(), { placementId: 'placement-1' });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'placementId', message: 'must be a UUID' }] });
      expect((await row(id)).status).toBe('OPEN');
      const unknown = randomUUID();
      const missing = await transition('cancelPlacementRequest', unknown, service);
      expect(codes(missing)).toEqual(['NOT_FOUND']);
      expect(missing.errors?.[0]?.message).toBe(`Placement request ${unknown} was not found. Check the id and that it belongs to this municipality.`);
    });

    it.each([
      ['markPlacementRequestOffered', () => caseworker],
      ['markPlacementRequestAccepted', () => caseworker],
      ['reopenPlacementRequest', () => caseworker],
      ['markPlacementRequestOffered', () => housingManager],
      ['reopenPlacementRequest', () => otherCaseworker],
      ['recordMoveIn', () => coordinator],
      ['recordPlacementEnd', () => coordinator],
      ['recordMoveIn', () => otherCaseworker],
      ['cancelPlacementRequest', () => otherCaseworker],
      ['cancelPlacementRequest', () => housingManager],
    ] as const)('refuses %s to a role without the right, changing nothing', async (name, headers) => {
      const { id } = await openRequest();
      const from = TRANSITIONS[name].from[0];
      await setStatus(id, from);
      expect(codes(await transition(name, id, headers()))).toEqual(['FORBIDDEN']);
      expect((await row(id)).status).toBe(from);
    });

    it('lets the own caseworker and the service cancel', async () => {
      for (const headers of [caseworker, service]) {
        const { id } = await openRequest();
        expect((await transition('cancelPlacementRequest', id, headers)).data!.cancelPlacementRequest.status).toBe('CANCELLED');
      }
    });

    it('refuses the caseworker a direct cancel while a regional placement uses the request, naming the regional mutation', async () => {
      const { id } = await openRequest();
      const placementId = randomUUID();
      expect((await transition('markPlacementRequestOffered', id, service, newKey(), { placementId })).errors).toBeUndefined();
      const refused = await transition('cancelPlacementRequest', id, caseworker);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', placementId });
      expect(refused.errors?.[0]?.message).toBe(
        `Placement request ${id} is part of regional placement ${placementId}; cancel the placement (cancelPlacement) instead. Nothing was changed.`,
      );
      expect((await row(id)).status).toBe('OFFERED');
      // Accepted, it is still the placement's to cancel.
      await setStatus(id, 'ACCEPTED');
      const accepted = await transition('cancelPlacementRequest', id, caseworker);
      expect(accepted.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', placementId });
      expect(accepted.errors?.[0]?.message).toMatch(/cancel the placement \(cancelPlacement\)/);
      expect((await row(id)).status).toBe('ACCEPTED');
      // Once moved in, the way out is to end the placement.
      await setStatus(id, 'ACTIVE');
      expect((await transition('cancelPlacementRequest', id, caseworker)).errors?.[0]?.message).toMatch(/endPlacement/);
      // The region's service (the saga) still can.
      expect((await transition('cancelPlacementRequest', id, service)).data!.cancelPlacementRequest.status).toBe('CANCELLED');
    });

    // The saga's steps are the region's service token's: a coordinator goes through the regional
    // mutations (offerPlacement, declinePlacement, cancelPlacement), never straight at the shard.
    const SAGA_STEPS = ['markPlacementRequestOffered', 'reopenPlacementRequest', 'markPlacementRequestAccepted', 'cancelPlacementRequest'] as const;
    it.each(SAGA_STEPS)('refuses %s to a coordinator calling the shard directly, from every status it allows, changing nothing', async (name) => {
      for (const from of TRANSITIONS[name].from) {
        const { id } = await openRequest();
        await setStatus(id, from);
        const before = await row(id);
        const result = await transition(name, id, coordinator);
        expect(codes(result)).toEqual(['FORBIDDEN']);
        expect(result.data?.[name] ?? null).toBeNull();
        expect(await row(id)).toEqual(before);
        // (control) the same step with the service token goes through.
        expect((await transition(name, id, service)).data![name].status).toBe(TRANSITIONS[name].to);
      }
    });

    it('refuses a coordinator the replay of a step the service made: no stored result, no change', async () => {
      const { id } = await openRequest();
      const key = newKey();
      const placementId = randomUUID();
      const offered = await transition('markPlacementRequestOffered', id, service, key, { placementId });
      expect(offered.errors).toBeUndefined();
      const after = await row(id);
      const replay = await transition('markPlacementRequestOffered', id, coordinator, key, { placementId });
      expect(codes(replay)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(replay.data ?? {})).not.toContain(placementId);
      expect(await row(id)).toEqual(after);
    });
  });

  describe('idempotency', () => {
    it('replays createPlacementRequest: the same request back, and still one request', async () => {
      const participant = await newParticipant(shard);
      const key = newKey();
      const first = await create(participant.id, validInput, caseworker, key);
      const again = await create(participant.id, validInput, caseworker, key);
      expect(first.errors).toBeUndefined();
      expect(again).toEqual(first);
      expect(await requestsOf(participant.id)).toHaveLength(1);
    });

    it('counts defaults as given: leaving needsWheelchairAccess out and passing false are the same arguments', async () => {
      const participant = await newParticipant(shard);
      const key = newKey();
      const first = await create(participant.id, validInput, caseworker, key);
      const again = await create(participant.id, { ...validInput, needsWheelchairAccess: false, supportNeeds: [] }, caseworker, key);
      expect(again).toEqual(first);
    });

    it('gives one request to 10 concurrent retries of the same create', async () => {
      const participant = await newParticipant(shard);
      const key = newKey();
      const results = await Promise.all(Array.from({ length: 10 }, () => create(participant.id, validInput, caseworker, key)));
      for (const result of results) expect(result.errors).toBeUndefined();
      expect(new Set(results.map((r) => r.data!.createPlacementRequest.id)).size).toBe(1);
      expect(await requestsOf(participant.id)).toHaveLength(1);
    });

    it.each(Object.keys(TRANSITIONS) as TransitionName[])('replays %s with the same result, changing nothing the second time', async (name) => {
      const { id } = await openRequest();
      await setStatus(id, TRANSITIONS[name].from[0]);
      const key = newKey();
      const extra = name === 'markPlacementRequestOffered' ? { placementId: randomUUID() } : {};
      const first = await transition(name, id, service, key, extra);
      expect(first.errors).toBeUndefined();
      const after = await row(id);
      const again = await transition(name, id, service, key, extra);
      expect(again).toEqual(first);
      expect(await row(id)).toEqual(after);
    });

    it('returns the stored result on a late replay and does not undo what happened since', async () => {
      const { id } = await openRequest();
      const key = newKey();
      const placementId = randomUUID();
      const offered = await transition('markPlacementRequestOffered', id, service, key, { placementId });
      expect((await transition('reopenPlacementRequest', id, service)).errors).toBeUndefined();
      const reopened = await row(id);
      const late = await transition('markPlacementRequestOffered', id, service, key, { placementId });
      expect(late).toEqual(offered);
      expect(late.data!.markPlacementRequestOffered).toMatchObject({ status: 'OFFERED', placementId });
      expect(await row(id)).toEqual(reopened);
      expect(reopened).toMatchObject({ status: 'OPEN', placement_id: null });
    });

    it('creates without a key too; a retry is then refused because a request is in progress', async () => {
      const participant = await newParticipant(shard);
      const WITHOUT_KEY = `mutation($participantId: ID!, $input: CreatePlacementRequestInput!) { createPlacementRequest(participantId: $participantId, input: $input) { id status } }`;
      const first = await gql(WITHOUT_KEY, { participantId: participant.id, input: validInput }, caseworker);
      expect(first.errors).toBeUndefined();
      expect(first.data!.createPlacementRequest.status).toBe('OPEN');
      const retry = await gql(WITHOUT_KEY, { participantId: participant.id, input: validInput }, caseworker);
      expect(retry.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'participantId' }] });
      expect(await requestsOf(participant.id)).toHaveLength(1);
    });

    it('refuses the same key with other arguments, or for another operation, with IDEMPOTENCY_KEY_REUSED', async () => {
      const { id } = await openRequest();
      const other = await openRequest();
      const key = newKey();
      expect((await transition('markPlacementRequestOffered', id, service, key, { placementId: randomUUID() })).errors).toBeUndefined();
      const after = await row(id);

      const otherPlacement = await transition('markPlacementRequestOffered', id, service, key, { placementId: randomUUID() });
      expect(codes(otherPlacement)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      const otherRequest = await transition('markPlacementRequestOffered', other.id, service, key, { placementId: randomUUID() });
      expect(codes(otherRequest)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      const otherOperation = await transition('reopenPlacementRequest', id, service, key);
      expect(codes(otherOperation)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(otherOperation.errors![0]!.message).toContain('markPlacementRequestOffered');
      const participant = await newParticipant(shard);
      expect(codes(await create(participant.id, validInput, caseworker, key))).toEqual(['IDEMPOTENCY_KEY_REUSED']);

      expect(await row(id)).toEqual(after);
      expect((await row(other.id)).status).toBe('OPEN');
      expect(await requestsOf(participant.id)).toEqual([]);
    });

    it('stores nothing for a call that failed: a retry after the cause is gone goes through', async () => {
      const { id } = await openRequest();
      const key = newKey();
      expect(codes(await transition('markPlacementRequestAccepted', id, service, key))).toEqual(['INVALID_TRANSITION']);
      await setStatus(id, 'OFFERED');
      const retry = await transition('markPlacementRequestAccepted', id, service, key);
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.markPlacementRequestAccepted.status).toBe('ACCEPTED');
    });

    it('refuses an empty key and one over 200 characters, naming idempotencyKey', async () => {
      const { id } = await openRequest();
      for (const key of ['', 'k'.repeat(201)]) {
        const result = await transition('cancelPlacementRequest', id, service, key);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'idempotencyKey' }] });
      }
      expect((await row(id)).status).toBe('OPEN');
      expect((await transition('cancelPlacementRequest', id, service, 'k'.repeat(200))).errors).toBeUndefined();
    });
  });
});
