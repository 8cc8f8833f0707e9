import { freshUnit, openRequest } from './support/placement-fixtures';
import type { Fault, FaultyProxy } from './support/faulty-proxy';
import {
  offer,
  overBookedDays,
  partyStates,
  reconcile,
  startRegionBehindProxies,
  takeStep,
  takeSteps,
  type Parties,
  type StepName,
} from './support/placement-journey';
import type { TestRegion } from './support/test-region';

const parties: Parties = { sending: '0126', receiving: '0138' };
const FAULTS: Fault[] = ['kill-before', 'freeze-during', 'kill-after', 'freeze-after'];

/** Every shard call of every placement operation: which party makes it, and what it is called. */
const CALLS: { op: 'offer' | StepName; call: string; party: keyof Parties; before: StepName[] }[] = [
  { op: 'offer', call: 'holdPlaces', party: 'receiving', before: [] },
  { op: 'offer', call: 'markPlacementRequestOffered', party: 'sending', before: [] },
  { op: 'accept', call: 'confirm', party: 'receiving', before: [] },
  { op: 'accept', call: 'accepted', party: 'sending', before: [] },
  { op: 'decline', call: 'release', party: 'receiving', before: [] },
  { op: 'decline', call: 'reopen', party: 'sending', before: [] },
  { op: 'moveIn', call: 'move-in', party: 'sending', before: ['accept'] },
  { op: 'end', call: 'end-booking', party: 'receiving', before: ['accept', 'moveIn'] },
  { op: 'end', call: 'end', party: 'sending', before: ['accept', 'moveIn'] },
  { op: 'cancel', call: 'release', party: 'receiving', before: ['accept'] },
  { op: 'cancel', call: 'reopen', party: 'sending', before: ['accept'] },
];

/** Where each operation leaves the three parties once it is finished (or, for an offer cut short, undone). Written from the lifecycle, not read from the code. */
const CONVERGED = {
  offer: { placement: 'FAILED', request: 'OPEN', booking: ['RELEASED', undefined] },
  accept: { placement: 'ACCEPTED', request: 'ACCEPTED', booking: ['CONFIRMED'] },
  decline: { placement: 'DECLINED', request: 'OPEN', booking: ['RELEASED'] },
  moveIn: { placement: 'ACTIVE', request: 'ACTIVE', booking: ['CONFIRMED'] },
  end: { placement: 'ENDED', request: 'ENDED', booking: ['ENDED'] },
  cancel: { placement: 'CANCELLED', request: 'OPEN', booking: ['RELEASED'] },
} as const;

/** Runs `work` over the items a few at a time, as a handful of people would, not all at once. */
async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, size = 6): Promise<void> {
  for (let at = 0; at < items.length; at += size) await Promise.all(items.slice(at, at + size).map(work));
}

interface Scenario {
  name: string;
  op: 'offer' | StepName;
  call: string;
  party: keyof Parties;
  fault: Fault;
  unitId: string;
  requestId: string;
  /** The day of moving out an end asks for: ten days into the stay. */
  endsOn: string;
  placementId?: string;
  answer?: { data?: any; errors?: any[] };
}

/**
 * Issue #10: every shard call of the placement saga, on the party that makes it, is hit by each
 * fault a process can suffer — killed before it makes the call, killed after committing it,
 * frozen while making it (it resumes long after the caller gave up), frozen before answering.
 * The caller must hear the truth at once; after the shards are back and the reconciler has run,
 * the three parties must agree, nothing may be left pending or held, no unit over-booked, no
 * place lost, and a second run must find nothing to do.
 *
 * A crash of the region itself leaves what these faults leave: the step is on record before the
 * first call (pending_step), then some prefix of its calls is made — the same states as
 * `kill-before` on each call — and the reconciler, which keeps nothing in memory, starts from them.
 */
describe('Placements under faults: every call of the saga, each fault, converges', () => {
  let setup: Awaited<ReturnType<typeof startRegionBehindProxies>>;
  let region: TestRegion;
  let proxies: Record<keyof Parties, FaultyProxy>;
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    // A wait long enough that only the faults, never a busy machine, make a call time out.
    setup = await startRegionBehindProxies(parties, 6_000);
    ({ region, proxies } = setup);

    // One unit of one place and one request per scenario, brought to the status the operation starts from.
    let day = 0;
    for (const fault of FAULTS) {
      for (const c of CALLS) {
        const start = Date.UTC(2027, 9, 1) + day++ * 3 * 86_400_000;
        const [earliestStart, endsOn] = [start, start + 10 * 86_400_000].map((ms) => new Date(ms).toISOString().slice(0, 10)) as [string, string];
        const [unitId, request] = await Promise.all([
          freshUnit(region.gateway.url, parties.receiving, 1),
          openRequest(region.gateway.url, parties.sending, { earliestStart, days: 20 }),
        ]);
        scenarios.push({ name: `${c.op}: ${c.call} at the ${c.party} municipality, ${fault}`, ...c, fault, unitId, requestId: request.requestId, endsOn });
      }
    }
    await inBatches(
      scenarios.filter((s) => s.op !== 'offer'),
      async (s) => {
        const offered = await offer(region, parties, s.requestId, s.unitId);
        if (offered.errors) throw new Error(JSON.stringify(offered.errors));
        s.placementId = offered.data!.offerPlacement.id;
        await takeSteps(region, parties, s.placementId!, CALLS.find((c) => c.op === s.op && c.call === s.call)!.before);
      },
    );

    // Each fault on cue, the operations of one kind of fault at once: a fault touches only its own scenario's call.
    for (const fault of FAULTS) {
      const batch = scenarios.filter((s) => s.fault === fault);
      for (const s of batch) {
        const match = s.op === 'offer' ? [s.call, s.call === 'holdPlaces' ? s.unitId : s.requestId] : `"${s.placementId}:${s.call}"`;
        proxies[s.party].addFault(match, s.fault);
      }
      await Promise.all(
        batch.map(async (s) => {
          s.answer =
            s.op === 'offer'
              ? await offer(region, parties, s.requestId, s.unitId)
              : await takeStep(region, parties, s.op, s.placementId!, { endsOn: s.op === 'end' ? s.endsOn : undefined });
          s.placementId ??= s.answer.errors?.[0]?.extensions?.placementId;
        }),
      );
    }
    // The frozen shards resume and make what they were asked, to callers long gone.
    await Promise.all([proxies.sending.thaw(), proxies.receiving.thaw()]);
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('tells every caller at once which municipality did not answer, and what was left', () => {
    expect(scenarios).toHaveLength(44);
    for (const s of scenarios) {
      const error = s.answer?.errors?.[0];
      expect({ scenario: s.name, code: error?.extensions?.code, municipalityCode: error?.extensions?.municipalityCode }).toEqual({
        scenario: s.name,
        code: 'MUNICIPALITY_UNAVAILABLE',
        municipalityCode: parties[s.party],
      });
      if (s.op === 'offer') {
        expect({ scenario: s.name, status: error.extensions.placementStatus, message: error.message }).toEqual({
          scenario: s.name,
          status: 'FAILED',
          message: expect.stringMatching(/Nothing was offered/),
        });
      } else {
        expect({ scenario: s.name, pendingStep: error.extensions.pendingStep, message: error.message }).toEqual({
          scenario: s.name,
          pendingStep: CONVERGED[s.op].placement,
          message: expect.stringMatching(/is finished automatically when the municipality answers again/),
        });
      }
    }
  });

  it('brings all three parties into step with one reconciliation, and a second finds nothing to do', async () => {
    await reconcile(region);
    for (const s of scenarios) {
      const { placement, request, bookings } = await partyStates(region, parties, s.placementId!, s.requestId);
      const expected = CONVERGED[s.op];
      expect({ scenario: s.name, placement: placement?.status, pending: placement?.pending_step, request: request?.status }).toEqual({
        scenario: s.name,
        placement: expected.placement,
        pending: null,
        request: expected.request,
      });
      expect({
        scenario: s.name,
        bookings: bookings.length <= 1,
        booking: (expected.booking as readonly (string | undefined)[]).includes(bookings[0]?.status),
      }).toEqual({
        scenario: s.name,
        bookings: true,
        booking: true,
      });
    }
    const again = await reconcile(region);
    expect(again).toEqual({
      expiredOffers: 0,
      failedPendingOffers: 0,
      stepsFinished: 0,
      orphanHoldsReleased: 0,
      requestsReopened: 0,
      acceptancesCompleted: 0,
      unreachable: [],
    });
  });

  it('over-books no unit and loses no place: every unit given back takes a new offer', async () => {
    expect(await overBookedDays(region.shards.get(parties.receiving)!.database.url)).toBe(0);
    const freed = scenarios.filter((s) => CONVERGED[s.op].request === 'OPEN');
    expect(freed).toHaveLength(24);
    const offers = await Promise.all(freed.map((s) => offer(region, parties, s.requestId, s.unitId)));
    expect(offers.map((o) => o.data?.offerPlacement?.status ?? o.errors?.[0]?.message)).toEqual(freed.map(() => 'OFFERED'));
  });
});
