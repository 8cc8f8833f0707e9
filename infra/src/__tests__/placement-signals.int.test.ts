import { Role } from '@sodertorn/auth';
import { dropServiceDatabase } from '@sodertorn/postgres';
import { adminDatabaseUrl, callAsRegionService, postGraphQL, syntheticPersonnummer } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunnerConfig } from '../config';
import { startLocalRegion, type LocalRegion } from '../local-region';

const SENDING = '0126';
let people = 7000;
const RECEIVING = '0138';

/**
 * Issue #10 as it was reported: the region as `npm start` runs it, each service its own process,
 * and real signals — SIGSTOP/SIGCONT (a busy server, a network blip) and SIGKILL (a crash) — sent
 * to a shard or to the regional subgraph in the middle of a placement step. The runner restarts
 * a killed process (as Kubernetes would); the reconciler then finishes what was left.
 */
describe('Placements when a real service process is frozen or killed mid-step', () => {
  const prefix = `signals${process.pid}`;
  const saved = { ...process.env };
  let region: LocalRegion;

  const service = (name: string) => region.services.find((s) => s.name === name)!;
  const as = async (role: Role, municipality?: string) => ({
    authorization: `Bearer ${await region.identity.token({ sub: `${role.toLowerCase()}-signals`, roles: [role], ...(municipality ? { municipality } : {}) })}`,
  });
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    postGraphQL(region.gatewayUrl, query, variables, headers);
  const step = (mutation: string) => `mutation($id: ID!, $key: String!) { ${mutation}(id: $id, idempotencyKey: $key) { id status } }`;
  const view = async (id: string) =>
    (
      await gql(
        `query($id: ID!) { placement(id: $id) { status endsOn pendingStep booking { status } request { status } } }`,
        { id },
        await as(Role.COORDINATOR),
      )
    ).data?.placement;
  const reconcile = async () =>
    (await gql(`mutation { reconcilePlacements { stepsFinished unreachable } }`, {}, await as(Role.COORDINATOR))).data?.reconcilePlacements;
  /** Waits until `check` holds (bounded), e.g. for a restarted process to answer. */
  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** An accepted placement of a fresh one-place unit: its id. */
  async function acceptedPlacement(earliestStart: string): Promise<string> {
    const unit = await gql(
      `mutation($input: RegisterHousingUnitInput!) { registerHousingUnit(input: $input) { id } }`,
      {
        input: {
          kind: 'PROTECTED',
          places: 1,
          district: 'Signaldistrikt',
          streetAddress: `Signalvägen ${Math.floor(Math.random() * 1e6)}`,
          suitableForChildren: true,
          wheelchairAccessible: true,
        },
      },
      await as(Role.HOUSING_MANAGER, RECEIVING),
    );
    const caseworker = await as(Role.CASEWORKER, SENDING);
    const participant = await gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          firstName: 'Signal',
          lastName: 'Testsson',
          ...syntheticPersonnummer(++people, 1991),
          gender: 'FEMALE',
          householdChildren: 0,
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: [],
          intakeDate: '2026-11-01',
          responsibleCaseworker: 'cw',
        },
      },
      caseworker,
    );
    const request = await gql(
      `mutation($id: ID!, $input: CreatePlacementRequestInput!) { createPlacementRequest(participantId: $id, input: $input) { id } }`,
      { id: participant.data?.registerParticipant?.id, input: { urgency: 'IMMEDIATE', earliestStart, expectedDurationDays: 20, allowedKinds: ['PROTECTED'] } },
      caseworker,
    );
    if (participant.errors || request.errors || unit.errors) throw new Error(JSON.stringify([participant.errors, request.errors, unit.errors]));
    const offered = await gql(
      `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { id } }`,
      {
        input: {
          requestMunicipality: SENDING,
          requestId: request.data!.createPlacementRequest.id,
          unitMunicipality: RECEIVING,
          unitId: unit.data!.registerHousingUnit.id,
        },
        key: randomUUID(),
      },
      await as(Role.COORDINATOR),
    );
    const id = offered.data!.offerPlacement.id as string;
    const accepted = await gql(step('acceptPlacement'), { id, key: randomUUID() }, await as(Role.HOUSING_MANAGER, RECEIVING));
    if (accepted.errors) throw new Error(JSON.stringify(accepted.errors));
    return id;
  }

  beforeAll(async () => {
    // Inherited by every service process: a short shard timeout, and a reconciler that takes over at once but runs only when asked.
    Object.assign(process.env, { SHARD_TIMEOUT_MS: '2000', RECONCILE_GRACE_MS: '1', RECONCILE_INTERVAL_MS: '3600000' });
    const config = loadRunnerConfig({ DATABASE_URL: adminDatabaseUrl(), GATEWAY_PORT: '0', LOG_LEVEL: 'warn', SHARD_TIMEOUT_MS: '2000' });
    region = await startLocalRegion(config, '2026-11-27', () => undefined, {
      databasePrefix: prefix,
      logDir: mkdtempSync(join(tmpdir(), 'signals-logs-')),
      certificateDir: mkdtempSync(join(tmpdir(), 'signals-certificates-')),
      identityDir: mkdtempSync(join(tmpdir(), 'signals-identity-')),
    });
    // Every service speaks TLS, the shards and the regional subgraph only mutual TLS: this test calls as the gateway does.
    callAsRegionService(region.certificates);
  }, 180_000);

  afterAll(async () => {
    for (const name of ['municipality-0126', 'municipality-0138', 'regional']) if (region) process.kill(service(name).pid, 'SIGCONT');
    await region?.stop();
    process.env = saved;
    for (const code of ['0126', '0127', '0128', '0136', '0138', '0140', '0181', '0192', 'regional'])
      await dropServiceDatabase(adminDatabaseUrl(), `${prefix}_${code}`);
  });

  it('a move-in whose sending shard is frozen (SIGSTOP) is pending, made when the shard resumes (SIGCONT), finished by the reconciler', async () => {
    const id = await acceptedPlacement('2027-05-03');
    process.kill(service(`municipality-${SENDING}`).pid, 'SIGSTOP');
    let answer;
    try {
      answer = await gql(step('recordPlacementMoveIn'), { id, key: randomUUID() }, await as(Role.CASEWORKER, SENDING));
    } finally {
      process.kill(service(`municipality-${SENDING}`).pid, 'SIGCONT');
    }
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: SENDING, pendingStep: 'ACTIVE' });
    expect(await view(id)).toMatchObject({ status: 'ACCEPTED', pendingStep: 'ACTIVE' });
    expect((await reconcile()).stepsFinished).toBe(1);
    expect(await view(id)).toMatchObject({ status: 'ACTIVE', pendingStep: null, request: { status: 'ACTIVE' }, booking: { status: 'CONFIRMED' } });
  });

  it('an end whose receiving shard is killed (SIGKILL) while frozen is pending; the runner restarts the shard and the reconciler ends it', async () => {
    const id = await acceptedPlacement('2027-06-07');
    expect((await gql(step('recordPlacementMoveIn'), { id, key: randomUUID() }, await as(Role.CASEWORKER, SENDING))).errors).toBeUndefined();
    const shard = service(`municipality-${RECEIVING}`);
    const killedPid = shard.pid;
    process.kill(killedPid, 'SIGSTOP');
    const ending = gql(
      `mutation($id: ID!, $key: String!) { endPlacement(id: $id, idempotencyKey: $key, endsOn: "2027-06-17") { id status } }`,
      { id, key: randomUUID() },
      await as(Role.CASEWORKER, SENDING),
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // the region is now waiting on the frozen shard
    process.kill(killedPid, 'SIGKILL');
    const answer = await ending;
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'MUNICIPALITY_UNAVAILABLE', municipalityCode: RECEIVING, pendingStep: 'ENDED' });

    await until(async () => shard.pid !== killedPid && (await fetch(new URL('/ready', shard.url))).ok, 'the receiving shard restarted');
    expect(await reconcile()).toEqual({ stepsFinished: 1, unreachable: [] });
    expect(await view(id)).toMatchObject({
      status: 'ENDED',
      endsOn: '2027-06-17',
      pendingStep: null,
      request: { status: 'ENDED' },
      booking: { status: 'ENDED' },
    });
  });

  it('a cancellation whose regional subgraph is killed (SIGKILL) mid-step is finished by the restarted region', async () => {
    const unitAndOffer = await acceptedPlacement('2027-07-05');
    // Cancel (the coordinator) while the sending shard is frozen: the region has released the booking and waits on the reopen.
    const sendingShard = service(`municipality-${SENDING}`);
    const regional = service('regional');
    const killedPid = regional.pid;
    process.kill(sendingShard.pid, 'SIGSTOP');
    let answer;
    try {
      const cancelling = gql(
        `mutation($id: ID!, $key: String!) { cancelPlacement(id: $id, idempotencyKey: $key, reason: NO_LONGER_NEEDED) { id status } }`,
        { id: unitAndOffer, key: randomUUID() },
        await as(Role.COORDINATOR),
      );
      await new Promise((resolve) => setTimeout(resolve, 700)); // released at the receiving shard, reopening at the frozen one
      process.kill(killedPid, 'SIGKILL');
      answer = await cancelling;
    } finally {
      process.kill(sendingShard.pid, 'SIGCONT');
    }
    expect(answer.data?.cancelPlacement ?? null).toBeNull(); // the region died before it could answer
    expect(answer.errors?.length).toBeGreaterThan(0);

    await until(async () => regional.pid !== killedPid && (await fetch(new URL('/ready', regional.url))).ok, 'the regional subgraph restarted');
    await until(async () => (await view(unitAndOffer))?.pendingStep === 'CANCELLED', 'the restarted region reads the pending step');
    expect((await reconcile()).stepsFinished).toBe(1);
    expect(await view(unitAndOffer)).toMatchObject({ status: 'CANCELLED', pendingStep: null, request: { status: 'OPEN' }, booking: { status: 'RELEASED' } });
  });
});
