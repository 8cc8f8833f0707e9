import { startTestShard, type TestShard } from '@sodertorn/municipality/testing';
import { startTestRegional, type TestRegional } from '@sodertorn/regional/testing';
import { loadRegistry } from '@sodertorn/service-kit';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { startFaultyProxy, type FaultyProxy } from './support/faulty-proxy';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { queryRows } from './support/sql';

/**
 * The placement saga's compensation, focused: two real municipal shards and the real regional
 * subgraph (no gateway, no other municipalities), the region reaching each shard through a proxy
 * that fails a call on cue. Every expected state is what the lifecycle in DESIGN.md promises,
 * read straight from the three databases. Small enough for mutation testing (npm run mutation -- placement-saga).
 */
const SENDING = '0126';
const RECEIVING = '0138';

const PLACEMENT = 'id status endsOn';
const OFFER = `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { ${PLACEMENT} } }`;
const step = (mutation: string, extra = '') =>
  `mutation($id: ID!, $key: String!${extra ? ', $endsOn: LocalDate' : ''}) { ${mutation}(id: $id, idempotencyKey: $key${extra}) { ${PLACEMENT} } }`;
const STEPS = {
  accept: { query: step('acceptPlacement'), role: Role.HOUSING_MANAGER, municipality: RECEIVING },
  decline: { query: step('declinePlacement'), role: Role.HOUSING_MANAGER, municipality: RECEIVING },
  moveIn: { query: step('recordPlacementMoveIn'), role: Role.CASEWORKER, municipality: SENDING },
  end: { query: step('endPlacement', ', endsOn: $endsOn'), role: Role.CASEWORKER, municipality: SENDING },
  cancel: { query: step('cancelPlacement'), role: Role.COORDINATOR, municipality: undefined },
} as const;
type StepName = keyof typeof STEPS;

type Answer = Awaited<ReturnType<typeof postGraphQL>>;
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

describe('The placement saga compensates what it cannot finish', () => {
  let shards: Record<'sending' | 'receiving', TestShard>;
  let proxies: Record<'sending' | 'receiving', FaultyProxy>;
  let regional: TestRegional;
  /** The requests the sending shard has answered through its proxy. */
  const sentToSending: string[] = [];

  beforeAll(async () => {
    const [sending, receiving] = await Promise.all([startTestShard(SENDING), startTestShard(RECEIVING)]);
    shards = { sending, receiving };
    proxies = { sending: await startFaultyProxy('never', (request) => sentToSending.push(request)), receiving: await startFaultyProxy('never') };
    proxies.sending.setTarget(sending.url);
    proxies.receiving.setTarget(receiving.url);
    const urls: Record<string, string> = { [SENDING]: proxies.sending.url, [RECEIVING]: proxies.receiving.url };
    const registry = loadRegistry()
      .filter((m) => m.code in urls)
      .map((m) => ({ ...m, url: urls[m.code]! }));
    // Generous: a frozen lookup below is held for a moment while the test changes a shard behind the region's back.
    regional = await startTestRegional(registry, { shardTimeoutMs: 8_000 });
  });
  afterEach(() => {
    proxies.sending.clearFaults();
    proxies.receiving.clearFaults();
  });
  afterAll(async () => {
    await regional?.destroy();
    await Promise.all(Object.values(proxies ?? {}).map((p) => p.close()));
    await Promise.all(Object.values(shards ?? {}).map((s) => s.destroy()));
  });

  /** A fresh request (household of one, 30 nights from 2027-02-01) and a fresh unit of `places` places. */
  async function parties(places = 1) {
    const { requestId, participantId } = await openRequest(shards.sending.url, SENDING);
    const unitId = await freshUnit(shards.receiving.url, RECEIVING, places);
    return { requestId, participantId, unitId };
  }
  async function offer(requestId: string, unitId: string, key: string = randomUUID()) {
    const input = { requestMunicipality: SENDING, requestId, unitMunicipality: RECEIVING, unitId };
    return postGraphQL(regional.url, OFFER, { input, key }, await bearer(Role.COORDINATOR));
  }
  async function offered(requestId: string, unitId: string): Promise<string> {
    const answer = await offer(requestId, unitId);
    if (answer.errors) throw new Error(`offerPlacement: ${JSON.stringify(answer.errors)}`);
    return answer.data!.offerPlacement.id;
  }
  async function take(name: StepName, id: string, key: string = randomUUID(), endsOn?: string) {
    const { query, role, municipality } = STEPS[name];
    return postGraphQL(regional.url, query, { id, key, ...(endsOn ? { endsOn } : {}) }, await bearer(role, municipality));
  }

  const placement = async (id: string) =>
    (
      await queryRows<{
        status: string;
        pending_step: { to: string; key: string } | null;
        booking_id: string | null;
        ends_on: string;
        hold_expires_at: Date | null;
      }>(
        regional.database.url,
        `select status, pending_step, booking_id, to_char(ends_on, 'YYYY-MM-DD') as ends_on, hold_expires_at from placement where id = $1`,
        [id],
      )
    )[0]!;
  const history = (id: string) =>
    queryRows<{ from_status: string | null; to_status: string; note: string | null }>(
      regional.database.url,
      `select from_status, to_status, note from placement_event where placement_id = $1 order by id`,
      [id],
    );
  const placementOfRequest = async (requestId: string) =>
    (await queryRows<{ id: string }>(regional.database.url, `select id from placement where request_id = $1`, [requestId]))[0]!.id;
  /** The notifications the region recorded for a placement, in order, with the deadline they carry. */
  const notices = (id: string) =>
    queryRows<{ type: string; deadline: string | null }>(
      regional.database.url,
      `select type, data->>'deadline' as deadline from notification_event where data->>'placementId' = $1 order by created_at, id`,
      [id],
    );
  const request = async (id: string) =>
    (
      await queryRows<{ status: string; placement_id: string | null }>(
        shards.sending.database.url,
        `select status, placement_id from placement_request where id = $1`,
        [id],
      )
    )[0]!;
  const bookingsOfUnit = (unitId: string) =>
    queryRows<{ id: string; status: string; placement_id: string | null; ends_on: string }>(
      shards.receiving.database.url,
      `select id, status, placement_id, to_char(ends_on, 'YYYY-MM-DD') as ends_on from booking where unit_id = $1 order by created_at`,
      [unitId],
    );
  const onSending = (sql: string, params: unknown[]) => queryRows(shards.sending.database.url, sql, params);
  const onReceiving = (sql: string, params: unknown[]) => queryRows(shards.receiving.database.url, sql, params);

  describe('an offer it cannot finish becomes FAILED', () => {
    it('releases the hold when the sending municipality cannot be reached to mark the request offered', async () => {
      const { requestId, unitId } = await parties();
      proxies.sending.addFault('markPlacementRequestOffered', 'kill-before');
      const answer = await offer(requestId, unitId);
      expect(codeOf(answer)).toBe('MUNICIPALITY_UNAVAILABLE');
      const failed = answer.errors![0]!.extensions!;
      expect(failed).toMatchObject({ municipalityCode: SENDING, placementStatus: 'FAILED' });
      expect(answer.errors![0]!.message).toContain('the places are released and the request stays open');
      const id = failed.placementId as string;
      expect(await placement(id)).toMatchObject({ status: 'FAILED', pending_step: null });
      expect(await history(id)).toEqual([
        { from_status: null, to_status: 'PENDING_OFFER', note: 'offer started' },
        { from_status: 'PENDING_OFFER', to_status: 'FAILED', note: 'marking the request offered failed: MUNICIPALITY_UNAVAILABLE' },
      ]);
      expect(await bookingsOfUnit(unitId)).toEqual([expect.objectContaining({ status: 'RELEASED', placement_id: id })]);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
      expect(await notices(id)).toEqual([]);
      // The unit is free again: a new offer takes its one place.
      expect((await offer(requestId, unitId)).errors).toBeUndefined();
    });

    it('releases the hold and passes the refusal on as it is when the request is no longer open by the time it is marked', async () => {
      const { requestId, unitId } = await parties();
      // The region reads the request while it is OPEN; the unit's answer is held back until the request has been cancelled on the shard.
      proxies.receiving.addFault('on HousingUnit', 'freeze-after');
      const answering = offer(requestId, unitId);
      await waitFor(async () => sentToSending.some((sent) => sent.includes('on PlacementRequest') && sent.includes(requestId)));
      await onSending(`update placement_request set status = 'CANCELLED' where id = $1`, [requestId]);
      await proxies.receiving.thaw();
      const answer = await answering;
      expect(codeOf(answer)).toBe('INVALID_TRANSITION');
      expect(answer.errors![0]!.extensions).toMatchObject({ municipalityCode: SENDING });
      const [booking] = await bookingsOfUnit(unitId);
      expect(booking).toMatchObject({ status: 'RELEASED' });
      const id = await placementOfRequest(requestId);
      expect(booking!.placement_id).toBe(id);
      expect(await placement(id)).toMatchObject({ status: 'FAILED', booking_id: booking!.id });
      expect((await history(id)).at(-1)).toEqual({
        from_status: 'PENDING_OFFER',
        to_status: 'FAILED',
        note: 'marking the request offered failed: INVALID_TRANSITION',
      });
      expect(await request(requestId)).toEqual({ status: 'CANCELLED', placement_id: null });
    });

    it('stays FAILED when the hold cannot be released at once either: the held places are left for the reconciler', async () => {
      const { requestId, unitId } = await parties();
      proxies.sending.addFault('markPlacementRequestOffered', 'kill-before');
      proxies.receiving.addFault('releaseBooking', 'kill-before');
      const answer = await offer(requestId, unitId);
      expect(codeOf(answer)).toBe('MUNICIPALITY_UNAVAILABLE');
      expect(answer.errors![0]!.extensions).toMatchObject({ municipalityCode: SENDING, placementStatus: 'FAILED' });
      const id = answer.errors![0]!.extensions!.placementId as string;
      expect(await placement(id)).toMatchObject({ status: 'FAILED' });
      expect(await bookingsOfUnit(unitId)).toEqual([expect.objectContaining({ status: 'HELD', placement_id: id })]);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
    });

    it('passes a refused hold on as it is and marks nothing offered', async () => {
      const { requestId, unitId } = await parties(1);
      const other = await parties(1);
      await offered(other.requestId, unitId); // takes the unit's only place
      const answer = await offer(requestId, unitId);
      expect(codeOf(answer)).toBe('NO_FREE_PLACES');
      expect(answer.errors![0]!.extensions).toMatchObject({ municipalityCode: RECEIVING });
      const id = await placementOfRequest(requestId);
      expect(await placement(id)).toMatchObject({ status: 'FAILED', booking_id: null });
      expect((await history(id)).at(-1)).toEqual({ from_status: 'PENDING_OFFER', to_status: 'FAILED', note: 'hold failed: NO_FREE_PLACES' });
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['HELD']);
    });

    it('leaves a hold whose answer was lost for the reconciler, and marks nothing offered', async () => {
      const { requestId, unitId } = await parties();
      proxies.receiving.addFault('holdPlaces', 'kill-after');
      const answer = await offer(requestId, unitId);
      expect(codeOf(answer)).toBe('MUNICIPALITY_UNAVAILABLE');
      expect(answer.errors![0]!.extensions).toMatchObject({ municipalityCode: RECEIVING, placementStatus: 'FAILED' });
      expect(answer.errors![0]!.message).toContain('a hold it may have made is released automatically when it answers again');
      const id = answer.errors![0]!.extensions!.placementId as string;
      expect(await placement(id)).toMatchObject({ status: 'FAILED', booking_id: null });
      expect((await history(id)).at(-1)).toEqual({ from_status: 'PENDING_OFFER', to_status: 'FAILED', note: 'hold failed: MUNICIPALITY_UNAVAILABLE' });
      expect(await bookingsOfUnit(unitId)).toEqual([expect.objectContaining({ status: 'HELD', placement_id: id })]);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
    });
  });

  describe('declining and cancelling undo both sides', () => {
    it('declines an offer: the places are released and the request is open again', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      expect(await request(requestId)).toEqual({ status: 'OFFERED', placement_id: id });
      // The placement keeps the hold's expiry, and the housing manager is told of the offer with it as the deadline.
      const [hold] = await bookingsOfUnit(unitId);
      const expiresAt = (await queryRows<{ expires_at: Date }>(shards.receiving.database.url, `select expires_at from booking where id = $1`, [hold!.id]))[0]!
        .expires_at;
      expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000); // held for 60 minutes
      expect((await placement(id)).hold_expires_at?.getTime()).toBe(expiresAt.getTime());
      const answer = await take('decline', id);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.declinePlacement.status).toBe('DECLINED');
      expect(await placement(id)).toMatchObject({ status: 'DECLINED', pending_step: null });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['RELEASED']);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
      expect(await notices(id)).toEqual([
        { type: 'placement.offered', deadline: expiresAt.toISOString() },
        { type: 'placement.declined', deadline: null },
      ]);
    });

    it('cancels an accepted placement: the confirmed booking is released and the request is open again', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      expect((await take('accept', id)).errors).toBeUndefined();
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['CONFIRMED']);
      expect(await request(requestId)).toMatchObject({ status: 'ACCEPTED' });
      const answer = await take('cancel', id);
      expect(answer.errors).toBeUndefined();
      expect(await placement(id)).toMatchObject({ status: 'CANCELLED', pending_step: null });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['RELEASED']);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
    });

    it('cancels though the booking was released and the request reopened already (by the reconciler): nothing is left to undo', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      await onReceiving(`update booking set status = 'RELEASED' where placement_id = $1`, [id]);
      await onSending(`update placement_request set status = 'OPEN', placement_id = null where id = $1`, [requestId]);
      const answer = await take('cancel', id);
      expect(answer.errors).toBeUndefined();
      expect(await placement(id)).toMatchObject({ status: 'CANCELLED', pending_step: null });
    });

    it('drops a cancellation whose release is refused for another reason: nothing changed anywhere', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      // A booking that ended cannot be released: the shard refuses the first call of the step.
      await onReceiving(`update booking set status = 'ENDED', expires_at = null where placement_id = $1`, [id]);
      const answer = await take('cancel', id);
      expect(codeOf(answer)).toBe('INVALID_TRANSITION');
      expect(await placement(id)).toMatchObject({ status: 'OFFERED', pending_step: null });
      expect(await request(requestId)).toEqual({ status: 'OFFERED', placement_id: id });
    });

    it('keeps a cancellation pending when the request cannot be reopened for a reason other than its status', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      // The request is gone from the shard: reopening it is refused (NOT_FOUND) after the release was made.
      await onSending(`delete from placement_request where id = $1`, [requestId]);
      const key = randomUUID();
      const answer = await take('cancel', id, key);
      expect(codeOf(answer)).toBe('NOT_FOUND');
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['RELEASED']);
      expect(await placement(id)).toMatchObject({ status: 'OFFERED', pending_step: expect.objectContaining({ to: 'CANCELLED', key }) });
    });
  });

  describe('a step after the offer', () => {
    it('turns an acceptance of a lapsed hold into EXPIRED: the places are released and the request is open again', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      await onReceiving(`update booking set expires_at = now() - interval '1 minute' where placement_id = $1`, [id]);
      const answer = await take('accept', id);
      expect(codeOf(answer)).toBe('HOLD_EXPIRED');
      expect(await placement(id)).toMatchObject({ status: 'EXPIRED', pending_step: null });
      expect((await history(id)).at(-1)).toEqual({ from_status: 'OFFERED', to_status: 'EXPIRED', note: 'the hold had expired when the offer was accepted' });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['RELEASED']);
      expect(await request(requestId)).toEqual({ status: 'OPEN', placement_id: null });
    });

    it('stays pending when a shard cannot be reached, and is finished by a retry with the same key', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      proxies.receiving.addFault('confirmBooking', 'kill-before');
      const key = randomUUID();
      const lost = await take('accept', id, key);
      expect(codeOf(lost)).toBe('MUNICIPALITY_UNAVAILABLE');
      expect(lost.errors![0]!.extensions).toMatchObject({ municipalityCode: RECEIVING, placementId: id, pendingStep: 'ACCEPTED' });
      expect(await placement(id)).toMatchObject({ status: 'OFFERED', pending_step: expect.objectContaining({ to: 'ACCEPTED', key }) });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['HELD']);
      // Another step meanwhile is refused: one step at a time.
      expect(codeOf(await take('decline', id))).toBe('STEP_IN_PROGRESS');
      const retried = await take('accept', id, key);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.acceptPlacement.status).toBe('ACCEPTED');
      expect(await placement(id)).toMatchObject({ status: 'ACCEPTED', pending_step: null });
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['CONFIRMED']);
      expect(await request(requestId)).toEqual({ status: 'ACCEPTED', placement_id: id });
    });

    it('records a step once when two retries finish it at the same moment, and answers both with the step done', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      proxies.receiving.addFault('confirmBooking', 'kill-before');
      const key = randomUUID();
      expect(codeOf(await take('accept', id, key))).toBe('MUNICIPALITY_UNAVAILABLE');
      // Both retries make their shard calls; the last call's answers are held until both have it, so
      // each retry read the placement before either recorded the step (a retry racing the reconciler).
      proxies.sending.addFault('markPlacementRequestAccepted', 'freeze-after');
      proxies.sending.addFault('markPlacementRequestAccepted', 'freeze-after');
      const retries = Promise.all([take('accept', id, key), take('accept', id, key)]);
      await waitFor(async () => proxies.sending.frozenCount() === 2);
      await proxies.sending.thaw();
      const answers = await retries;
      expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined]);
      expect(answers.map((answer) => answer.data!.acceptPlacement.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
      expect(await placement(id)).toMatchObject({ status: 'ACCEPTED', pending_step: null });
      expect((await history(id)).filter((event) => event.to_status === 'ACCEPTED')).toHaveLength(1);
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['CONFIRMED']);
      expect(await request(requestId)).toEqual({ status: 'ACCEPTED', placement_id: id });
    });

    it('is dropped when its first call is refused, so another step can follow', async () => {
      const { requestId, unitId, participantId } = await parties();
      const id = await offered(requestId, unitId);
      expect((await take('accept', id)).errors).toBeUndefined();
      await onSending(`update participant set phase = 'COMPLETED', exit_date = '2026-11-20', exit_outcome = 'COMPLETED' where id = $1`, [participantId]);
      const answer = await take('moveIn', id);
      expect(codeOf(answer)).toBe('VALIDATION_FAILED');
      expect(await placement(id)).toMatchObject({ status: 'ACCEPTED', pending_step: null });
      expect((await take('cancel', id)).errors).toBeUndefined();
      expect(await placement(id)).toMatchObject({ status: 'CANCELLED' });
    });

    it('is left pending when a later call is refused after the first was made', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      await onSending(`update placement_request set status = 'CANCELLED' where id = $1`, [requestId]);
      const key = randomUUID();
      const answer = await take('accept', id, key);
      expect(codeOf(answer)).toBe('INVALID_TRANSITION');
      expect((await bookingsOfUnit(unitId)).map((b) => b.status)).toEqual(['CONFIRMED']);
      expect(await placement(id)).toMatchObject({ status: 'OFFERED', pending_step: expect.objectContaining({ to: 'ACCEPTED', key }) });
    });

    it('ends a stay on the day the booking ends: an earlier day moves it forward, a later one does not', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      for (const name of ['accept', 'moveIn'] as const) expect((await take(name, id)).errors).toBeUndefined();
      const ended = await take('end', id, randomUUID(), '2027-02-20');
      expect(ended.errors).toBeUndefined();
      expect(ended.data!.endPlacement).toMatchObject({ status: 'ENDED', endsOn: '2027-02-20' });
      expect(await placement(id)).toMatchObject({ status: 'ENDED', ends_on: '2027-02-20' });
      expect(await bookingsOfUnit(unitId)).toEqual([expect.objectContaining({ status: 'ENDED', ends_on: '2027-02-20' })]);
      expect(await request(requestId)).toMatchObject({ status: 'ENDED' });

      const later = await parties();
      const second = await offered(later.requestId, later.unitId);
      for (const name of ['accept', 'moveIn'] as const) expect((await take(name, second)).errors).toBeUndefined();
      // Booked until 2027-03-03 (30 nights from 2027-02-01): a later end leaves it there.
      expect((await take('end', second, randomUUID(), '2027-05-01')).data!.endPlacement.endsOn).toBe('2027-03-03');
      expect(await placement(second)).toMatchObject({ ends_on: '2027-03-03' });
    });
  });

  describe('idempotency keys', () => {
    it('returns a finished step on a replay, refuses the key for another step, and refuses a step from the wrong status', async () => {
      const { requestId, unitId } = await parties();
      const id = await offered(requestId, unitId);
      const key = randomUUID();
      expect((await take('accept', id, key)).data!.acceptPlacement.status).toBe('ACCEPTED');
      expect((await take('accept', id, key)).data!.acceptPlacement.status).toBe('ACCEPTED');
      expect(await history(id)).toHaveLength(3); // started, offered, accepted: the replay added nothing
      expect(codeOf(await take('decline', id, key))).toBe('IDEMPOTENCY_KEY_REUSED');
      const wrong = await take('end', id);
      expect(codeOf(wrong)).toBe('INVALID_TRANSITION');
      expect(wrong.errors![0]!.message).toBe('The placement is ACCEPTED; it can become ENDED only from ACTIVE. Nothing was changed.');
      expect(wrong.errors![0]!.extensions).toMatchObject({ from: 'ACCEPTED', to: 'ENDED' });
      expect(codeOf(await take('moveIn', id, 'x'.repeat(201)))).toBe('VALIDATION_FAILED');
    });

    it('returns the same placement for a replayed offer, and refuses the key for another offer or when too long', async () => {
      const { requestId, unitId } = await parties(2);
      const key = randomUUID();
      const first = await offer(requestId, unitId, key);
      expect(first.data!.offerPlacement.status).toBe('OFFERED');
      const again = await offer(requestId, unitId, key);
      expect(again.data!.offerPlacement).toEqual(first.data!.offerPlacement);
      expect(await bookingsOfUnit(unitId)).toHaveLength(1);
      const other = await parties(1);
      expect(codeOf(await offer(other.requestId, unitId, key))).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(codeOf(await offer(requestId, other.unitId, key))).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(codeOf(await offer(other.requestId, other.unitId, ''))).toBe('VALIDATION_FAILED');
      expect(codeOf(await offer(other.requestId, other.unitId, 'k'.repeat(201)))).toBe('VALIDATION_FAILED');
      expect((await offer(other.requestId, other.unitId, 'k'.repeat(200))).errors).toBeUndefined();
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('the condition was not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
