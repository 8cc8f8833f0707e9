import { Role } from '@sodertorn/auth';
import { bearer, postGraphQL } from '@sodertorn/testing';
import { tableAllowsChain, type Caller } from './support/access-rules';
import { apiSchema } from './support/api-schema';
import { syntheticPersonnummer } from './support/personnummer';
import { startTestRegion, type TestRegion } from './support/test-region';

const OWN = '0126';
/** Demo ids of Huddinge's seeded data (the same on every machine). */
const DEMO = {
  participant: '30c9d6ed-2a3c-48e7-ba87-acb598ac8830',
  unit: '20e2d4ec-2287-4130-807a-49129da78683',
  resource: '8e411f4f-2bf4-40ae-a6de-fd525986c9f1',
};

let people = 0;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const KEY = () => `key-${Math.random().toString(36).slice(2)}-${Date.now()}`;
/** A step on a record that does not exist: an allowed caller gets NOT_FOUND or similar, a refused one FORBIDDEN. */
const onNothing =
  (mutation: string, extra = '', municipal = true) =>
  () => ({
    query: `mutation($key: String!) { ${mutation}(${municipal ? `municipalityCode: "${OWN}", ` : ''}id: "${NOWHERE}", idempotencyKey: $key${extra}) { __typename } }`,
    variables: { key: KEY() },
    mustSucceed: false,
  });

interface MutationCase {
  query: string;
  variables: Record<string, unknown>;
  /** Allowed callers must get data back (false: only "not refused", e.g. NOT_FOUND on a made-up id). */
  mustSucceed?: boolean;
}

const MUTATIONS: Record<string, () => MutationCase> = {
  registerParticipant: () => ({
    query: `mutation($input: RegisterParticipantInput!) { registerParticipant(municipalityCode: "${OWN}", input: $input) { id } }`,
    variables: {
      input: {
        firstName: 'Matris',
        lastName: 'Testsson',
        ...syntheticPersonnummer(++people),
        gender: 'OTHER',
        referralSource: 'SELF',
        riskLevel: 'LOW',
        intakeDate: '2026-11-01',
        responsibleCaseworker: 'cw',
      },
    },
  }),
  updateParticipant: () => ({
    query: `mutation { updateParticipant(municipalityCode: "${OWN}", id: "${DEMO.participant}", input: { riskLevel: HIGH }) { id } }`,
    variables: {},
  }),
  registerHousingUnit: () => ({
    query: `mutation { registerHousingUnit(municipalityCode: "${OWN}", input: { kind: EMERGENCY, places: 2, district: "Vårby", streetAddress: "Provgränd 1" }) { id } }`,
    variables: {},
  }),
  updateHousingUnit: () => ({
    query: `mutation { updateHousingUnit(municipalityCode: "${OWN}", id: "${DEMO.unit}", input: { suitableForChildren: true }) { id } }`,
    variables: {},
  }),
  registerSupportResource: () => ({
    query: `mutation { registerSupportResource(municipalityCode: "${OWN}", input: { kind: MENTOR, name: "Matrismentor", capacity: 3 }) { id } }`,
    variables: {},
  }),
  updateSupportResource: () => ({
    query: `mutation { updateSupportResource(municipalityCode: "${OWN}", id: "${DEMO.resource}", input: { capacity: 4 }) { id } }`,
    variables: {},
  }),
  createPlacementRequest: () => ({
    query: `mutation { createPlacementRequest(municipalityCode: "${OWN}", participantId: "${NOWHERE}", input: { urgency: HIGH, earliestStart: "2027-01-01", expectedDurationDays: 30, allowedKinds: [PROTECTED] }) { id } }`,
    variables: {},
    mustSucceed: false,
  }),
  markPlacementRequestOffered: onNothing('markPlacementRequestOffered', `, placementId: "${NOWHERE}"`),
  reopenPlacementRequest: onNothing('reopenPlacementRequest'),
  markPlacementRequestAccepted: onNothing('markPlacementRequestAccepted'),
  recordMoveIn: onNothing('recordMoveIn'),
  recordPlacementEnd: onNothing('recordPlacementEnd'),
  cancelPlacementRequest: onNothing('cancelPlacementRequest'),
  holdPlaces: () => ({
    query: `mutation($key: String!) { holdPlaces(municipalityCode: "${OWN}", idempotencyKey: $key, input: { unitId: "${NOWHERE}", places: 1, startsOn: "2027-01-01", endsOn: "2027-01-10", placementId: "${NOWHERE}", sendingMunicipality: "0127" }) { id } }`,
    variables: { key: KEY() },
    mustSucceed: false,
  }),
  confirmBooking: onNothing('confirmBooking'),
  releaseBooking: onNothing('releaseBooking'),
  endBooking: onNothing('endBooking', ', endsOn: "2027-01-05"'),
  releaseExpiredHolds: () => ({ query: `mutation { releaseExpiredHolds(municipalityCode: "${OWN}") }`, variables: {} }),
  offerPlacement: () => ({
    query: `mutation($key: String!) { offerPlacement(idempotencyKey: $key, input: { requestMunicipality: "${OWN}", requestId: "${NOWHERE}", unitMunicipality: "0127", unitId: "${NOWHERE}" }) { id } }`,
    variables: { key: KEY() },
    mustSucceed: false,
  }),
  acceptPlacement: onNothing('acceptPlacement', '', false),
  declinePlacement: onNothing('declinePlacement', '', false),
  recordPlacementMoveIn: onNothing('recordPlacementMoveIn', '', false),
  endPlacement: onNothing('endPlacement', '', false),
  cancelPlacement: onNothing('cancelPlacement', '', false),
  reconcilePlacements: () => ({ query: `mutation { reconcilePlacements { requestsReopened } }`, variables: {} }),
  // A year of its own, so that each allowed call makes a release there (at most four; one caller is allowed).
  releaseStatistics: () => ({ query: `mutation { releaseStatistics(year: 2028) }`, variables: {} }),
  forgetCulledPlacement: () => ({
    query: `mutation { forgetCulledPlacement(municipalityCode: "${OWN}", placementId: "${NOWHERE}") { bookingsDetached } }`,
    variables: {},
  }),
  // A request id no placement has: an allowed caller is told nothing was removed.
  forgetCulledPlacementRequests: () => ({ query: `mutation { forgetCulledPlacementRequests(requestIds: ["${NOWHERE}"]) { placements } }`, variables: {} }),
};

const CALLERS: Caller[] = [
  ...[Role.CASEWORKER, Role.HOUSING_MANAGER, Role.AUDITOR, Role.RETENTION_SERVICE].flatMap((role) => [
    { label: `${role} of ${OWN}`, roles: [role], municipality: OWN, target: OWN },
    { label: `${role} of 0127`, roles: [role], municipality: '0127', target: OWN },
  ]),
  ...[Role.COORDINATOR, Role.ANALYST, Role.SERVICE].map((role) => ({ label: role, roles: [role], target: OWN })),
];

describe('Authorization matrix: every mutation × every role, through the gateway', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('covers every mutation of the schema', () => {
    expect(Object.keys(apiSchema().getMutationType()!.getFields()).sort()).toEqual(Object.keys(MUTATIONS).sort());
  });

  const cases = Object.keys(MUTATIONS).flatMap((mutation) =>
    CALLERS.map((caller) => [`${mutation} as ${caller.label}`, mutation, caller, tableAllowsChain(caller, [['Mutation', mutation]])] as const),
  );

  // Written out here, independently of the policy: the shards' placement steps belong to the region's
  // saga and reconciler (SERVICE token). A coordinator acts through offerPlacement, declinePlacement,
  // cancelPlacement and reconcilePlacements instead, and is refused the steps themselves.
  const SAGA_STEPS = [
    'markPlacementRequestOffered',
    'reopenPlacementRequest',
    'markPlacementRequestAccepted',
    'cancelPlacementRequest',
    'holdPlaces',
    'releaseBooking',
    'releaseExpiredHolds',
  ];
  it.each(SAGA_STEPS)('refuses %s to a coordinator and lets the service token through', async (mutation) => {
    const coordinator = CALLERS.find((c) => c.roles.includes(Role.COORDINATOR))!;
    const service = CALLERS.find((c) => c.roles.includes(Role.SERVICE))!;
    expect(tableAllowsChain(coordinator, [['Mutation', mutation]])).toBe(false);
    expect(tableAllowsChain(service, [['Mutation', mutation]])).toBe(true);
    const asCoordinator = MUTATIONS[mutation]!();
    const refused = await postGraphQL(region.gateway.url, asCoordinator.query, asCoordinator.variables, await bearer(Role.COORDINATOR));
    expect(refused.data?.[mutation] ?? null).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const asService = MUTATIONS[mutation]!();
    const allowed = await postGraphQL(region.gateway.url, asService.query, asService.variables, await bearer(Role.SERVICE));
    expect(allowed.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('FORBIDDEN');
  });

  it.each(cases)('%s', async (_name, mutation, caller, allowed) => {
    const { query, variables, mustSucceed = true } = MUTATIONS[mutation]!();
    const result = await postGraphQL(region.gateway.url, query, variables, await bearer(caller.roles, caller.municipality));
    if (allowed && mustSucceed) {
      expect(result.errors).toBeUndefined();
      expect(result.data?.[mutation] ?? null).not.toBeNull();
    } else if (allowed) {
      // Let through to the resolver, which then finds nothing: any refusal but FORBIDDEN.
      expect(result.errors?.map((e) => e.extensions?.code)).not.toContain('FORBIDDEN');
    } else {
      expect(result.data?.[mutation] ?? null).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});
