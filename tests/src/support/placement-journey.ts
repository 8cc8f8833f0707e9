import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { queryRows } from './sql';
import { startFaultyProxy, type FaultyProxy } from './faulty-proxy';
import { startTestRegion, type TestRegion } from './test-region';

/** The steps of a placement after the offer, each as the party who takes it would. */
export const STEP = {
  accept: { mutation: 'acceptPlacement', role: Role.HOUSING_MANAGER, side: 'receiving', to: 'ACCEPTED' },
  decline: { mutation: 'declinePlacement', role: Role.HOUSING_MANAGER, side: 'receiving', to: 'DECLINED' },
  moveIn: { mutation: 'recordPlacementMoveIn', role: Role.CASEWORKER, side: 'sending', to: 'ACTIVE' },
  end: { mutation: 'endPlacement', role: Role.CASEWORKER, side: 'sending', to: 'ENDED' },
  cancel: { mutation: 'cancelPlacement', role: Role.COORDINATOR, side: 'region', to: 'CANCELLED' },
} as const;
export type StepName = keyof typeof STEP;

export interface Parties {
  sending: string;
  receiving: string;
}

/** Offers `unitId` for `requestId` as a coordinator; the whole GraphQL answer. */
export async function offer(region: TestRegion, parties: Parties, requestId: string, unitId: string, key = randomUUID()) {
  return postGraphQL(
    region.gateway.url,
    `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { id status } }`,
    { input: { requestMunicipality: parties.sending, requestId, unitMunicipality: parties.receiving, unitId }, key },
    await bearer(Role.COORDINATOR),
  );
}

/** Takes one step of a placement as its party; the whole GraphQL answer. */
export async function takeStep(region: TestRegion, parties: Parties, step: StepName, id: string, options: { key?: string; endsOn?: string } = {}) {
  const { mutation, role, side } = STEP[step];
  const extra = step === 'end' && options.endsOn ? ', endsOn: $endsOn' : '';
  const declared = step === 'end' && options.endsOn ? ', $endsOn: LocalDate' : '';
  const token = await bearer(role, side === 'region' ? undefined : parties[side]);
  return postGraphQL(
    region.gateway.url,
    `mutation($id: ID!, $key: String!${declared}) { ${mutation}(id: $id, idempotencyKey: $key${extra}) { id status endsOn } }`,
    { id, key: options.key ?? randomUUID(), ...(options.endsOn ? { endsOn: options.endsOn } : {}) },
    token,
  );
}

/** Takes the steps in order and fails loudly if one does not go through. */
export async function takeSteps(region: TestRegion, parties: Parties, id: string, steps: StepName[]): Promise<void> {
  for (const step of steps) {
    const result = await takeStep(region, parties, step, id);
    if (result.errors) throw new Error(`${step}: ${JSON.stringify(result.errors)}`);
  }
}

export const RECONCILE = `mutation { reconcilePlacements { expiredOffers failedPendingOffers stepsFinished orphanHoldsReleased requestsReopened acceptancesCompleted unreachable } }`;

/** Runs the reconciler as a coordinator would (`reconcilePlacements`); its report. */
export async function reconcile(region: TestRegion): Promise<Record<string, number | string[]>> {
  const result = await postGraphQL(region.gateway.url, RECONCILE, {}, await bearer(Role.COORDINATOR));
  if (result.errors) throw new Error(`reconcilePlacements: ${JSON.stringify(result.errors)}`);
  return result.data!.reconcilePlacements;
}

/** What each of the three parties holds for one placement, read straight from their databases. */
export async function partyStates(region: TestRegion, parties: Parties, placementId: string, requestId: string) {
  const [placement] = await queryRows<{ status: string; pending_step: unknown; ends_on: string }>(
    region.regional.database.url,
    `select status, pending_step, to_char(ends_on, 'YYYY-MM-DD') as ends_on from placement where id = $1`,
    [placementId],
  );
  const [request] = await queryRows<{ status: string }>(
    region.shards.get(parties.sending)!.database.url,
    `select status from placement_request where id = $1`,
    [requestId],
  );
  const bookings = await queryRows<{ status: string; ends_on: string; live: boolean }>(
    region.shards.get(parties.receiving)!.database.url,
    `select status, to_char(ends_on, 'YYYY-MM-DD') as ends_on, (status <> 'HELD' or expires_at > now()) as live from booking where placement_id = $1`,
    [placementId],
  );
  return { placement, request, bookings };
}

/**
 * Days on which a unit has more places taken than it has. Taken is written here from the rule,
 * not read from the code: a booking takes its places on every day from its first night to the
 * day before it ends, unless it was released or is a hold that has lapsed.
 */
export async function overBookedDays(databaseUrl: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    databaseUrl,
    `select count(*) as n from (
       select u.id, d.day
         from housing_unit u
         join booking b on b.unit_id = u.id and b.status <> 'RELEASED' and not (b.status = 'HELD' and b.expires_at is not null and b.expires_at <= now())
         join lateral generate_series(b.starts_on, b.ends_on - 1, interval '1 day') as d(day) on true
        group by u.id, u.places, d.day
       having sum(b.places) > u.places) as over`,
  );
  return Number(row!.n);
}

/**
 * The whole region (no demo data) with the region's calls to the two parties' shards going
 * through proxies that kill or freeze a call on cue; the reconciler takes over at once.
 */
export async function startRegionBehindProxies(
  parties: Parties,
  shardTimeoutMs: number,
): Promise<{ region: TestRegion; proxies: Record<keyof Parties, FaultyProxy>; close(): Promise<void> }> {
  const proxies = { sending: await startFaultyProxy('never'), receiving: await startFaultyProxy('never') };
  const region = await startTestRegion({
    seed: false,
    shardTimeoutMs,
    reconcileGraceMs: 0,
    regionalUrlOverrides: { [parties.sending]: proxies.sending.url, [parties.receiving]: proxies.receiving.url },
    // Each fault is aimed at one call of one placement, many at once: the regional circuit breaker
    // (open after 5 failed calls) would turn away the calls meant to meet the next faults, so it is
    // set out of reach here. These tests are about the saga; the breaker has tests of its own.
    regionalShardBreaker: { failureThreshold: Number.MAX_SAFE_INTEGER, cooldownMs: 1 },
  });
  proxies.sending.setTarget(region.shards.get(parties.sending)!.url);
  proxies.receiving.setTarget(region.shards.get(parties.receiving)!.url);
  return {
    region,
    proxies,
    async close() {
      await Promise.all(Object.values(proxies).map((p) => p.close()));
      await region.destroy();
    },
  };
}
