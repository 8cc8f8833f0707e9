import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { offer as offerAsCoordinator, takeSteps, type StepName } from './support/placement-journey';
import { queryRows as sql } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

const SENDING = '0126';
const RECEIVING = '0138';
const THIRD = '0181';

const PLACEMENT = `id status places startsOn endsOn
  request { municipalityCode caseReference status ageBand householdSize }
  unit { municipalityCode kind district }
  booking { status }
  history { fromStatus toStatus actorSub }`;

/*
 * Each test brings its own request, unit and placement to the status it starts from (newPlacement),
 * so that it passes or fails on its own and in any order; only the region is shared.
 */
describe('Placements end to end: request, offer, accept, move in, end — each step by its own role', () => {
  let region: TestRegion;
  const as = async (role: Role, municipality?: string) => bearer(role, municipality);
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    postGraphQL(region.gateway.url, query, variables, headers);
  /** Each party selects what its role may see: the receiving side the booking, the sending side the request. */
  const RECEIVING_VIEW = 'id status booking { status } unit { kind }';
  const SENDING_VIEW = 'id status request { status caseReference }';
  const step = (mutation: string, extra = '', view = PLACEMENT) =>
    `mutation($id: ID!, $key: String!) { ${mutation}(id: $id, idempotencyKey: $key${extra}) { ${view} } }`;
  /** The whole placement as the coordinator sees it, across both shards. */
  const coordinatorView = async (id: string) =>
    (await gql(`query($id: ID!) { placement(id: $id) { ${PLACEMENT} } }`, { id }, await as(Role.COORDINATOR))).data!.placement;

  /** A fresh open request of SENDING and a fresh unit of RECEIVING with two places. */
  const newRequestAndUnit = async () => ({
    request: await openRequest(region.gateway.url, SENDING),
    unitId: await freshUnit(region.gateway.url, RECEIVING, 2),
  });
  /** A placement offered for a fresh request and unit, then taken through `steps` by their parties. */
  const newPlacement = async (steps: StepName[] = []) => {
    const { request, unitId } = await newRequestAndUnit();
    const parties = { sending: SENDING, receiving: RECEIVING };
    const offered = await offerAsCoordinator(region, parties, request.requestId, unitId);
    if (offered.errors) throw new Error(`offerPlacement: ${JSON.stringify(offered.errors)}`);
    const placementId: string = offered.data!.offerPlacement.id;
    await takeSteps(region, parties, placementId, steps);
    return { request, unitId, placementId };
  };

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('shows the open request to the coordinator, pseudonymously, with the rest of the region', async () => {
    const request = await openRequest(region.gateway.url, SENDING);
    const result = await gql(
      `{ region { municipalities { code placementRequests(statuses: [OPEN]) { id caseReference householdSize excludedMunicipalities } } } }`,
      {},
      await as(Role.COORDINATOR),
    );
    expect(result.errors).toBeUndefined();
    const ours = result
      .data!.region.municipalities.find((m: { code: string }) => m.code === SENDING)
      .placementRequests.find((r: { id: string }) => r.id === request.requestId);
    expect(ours).toMatchObject({ caseReference: request.caseReference, householdSize: 1, excludedMunicipalities: expect.arrayContaining([SENDING]) });
    expect(JSON.stringify(result)).not.toMatch(/Placering|Testsson/);
  });

  it('refuses the offer to anyone but a coordinator', async () => {
    const { request, unitId } = await newRequestAndUnit();
    const offer = `mutation($input: OfferPlacementInput!) { offerPlacement(input: $input, idempotencyKey: "${randomUUID()}") { id } }`;
    const input = { requestMunicipality: SENDING, requestId: request.requestId, unitMunicipality: RECEIVING, unitId };
    for (const [role, m] of [
      [Role.CASEWORKER, SENDING],
      [Role.HOUSING_MANAGER, RECEIVING],
      [Role.ANALYST, undefined],
    ] as const) {
      const result = await gql(offer, { input }, await as(role, m));
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses to offer a unit in the home municipality', async () => {
    const request = await openRequest(region.gateway.url, SENDING);
    const homeUnit = await freshUnit(region.gateway.url, SENDING, 2);
    const result = await gql(
      `mutation($input: OfferPlacementInput!) { offerPlacement(input: $input, idempotencyKey: "${randomUUID()}") { id } }`,
      { input: { requestMunicipality: SENDING, requestId: request.requestId, unitMunicipality: SENDING, unitId: homeUnit } },
      await as(Role.COORDINATOR),
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'unitMunicipality' })] });
  });

  it('offers: the receiving shard holds the places, the sending shard marks the request offered', async () => {
    const { request, unitId } = await newRequestAndUnit();
    const key = randomUUID();
    const input = { requestMunicipality: SENDING, requestId: request.requestId, unitMunicipality: RECEIVING, unitId };
    const offer = `mutation($input: OfferPlacementInput!, $key: String!) { offerPlacement(input: $input, idempotencyKey: $key) { ${PLACEMENT} } }`;
    const result = await gql(offer, { input, key }, await as(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    const placement = result.data!.offerPlacement;
    const placementId = placement.id;
    expect(placement).toMatchObject({
      status: 'OFFERED',
      places: 1,
      request: { municipalityCode: SENDING, status: 'OFFERED', caseReference: request.caseReference },
      unit: { municipalityCode: RECEIVING },
      booking: { status: 'HELD' },
    });
    // A replayed offer returns the same placement and holds nothing twice.
    const again = await gql(offer, { input, key }, await as(Role.COORDINATOR));
    expect(again.data!.offerPlacement.id).toBe(placementId);
    const holds = await sql(region.shards.get(RECEIVING)!.database.url, `select id from booking where placement_id = $1`, [placementId]);
    expect(holds).toHaveLength(1);
  });

  it("keeps the shards' placement steps to the region: a coordinator calling them through the gateway or straight at a shard is refused, changing nothing", async () => {
    const { request, unitId, placementId } = await newPlacement();
    const receivingDb = region.shards.get(RECEIVING)!.database.url;
    const sendingDb = region.shards.get(SENDING)!.database.url;
    const [booking] = await sql<{ id: string }>(receivingDb, 'select id from booking where placement_id = $1', [placementId]);
    const other = await openRequest(region.gateway.url, SENDING);
    const bookingsBefore = await sql(receivingDb, 'select id, status, expires_at from booking where unit_id = $1 order by id', [unitId]);
    const requestsBefore = await sql(sendingDb, 'select id, status, placement_id from placement_request where id in ($1, $2) order by id', [
      request.requestId,
      other.requestId,
    ]);
    expect(bookingsBefore).toEqual([expect.objectContaining({ id: booking!.id, status: 'HELD' })]);
    expect(new Set(requestsBefore.map((r: any) => r.status))).toEqual(new Set(['OFFERED', 'OPEN']));
    const byId = (mutation: string, code: string, id: string, extra = '') =>
      `mutation { ${mutation}(municipalityCode: "${code}", id: "${id}", idempotencyKey: "${randomUUID()}"${extra}) { id } }`;
    const steps: [string, string, string][] = [
      [
        'holdPlaces',
        RECEIVING,
        `mutation { holdPlaces(municipalityCode: "${RECEIVING}", idempotencyKey: "${randomUUID()}", input: { unitId: "${unitId}", places: 1, startsOn: "2027-02-01", endsOn: "2027-02-10", placementId: "${randomUUID()}", sendingMunicipality: "${THIRD}" }) { id } }`,
      ],
      ['releaseBooking', RECEIVING, byId('releaseBooking', RECEIVING, booking!.id)],
      ['releaseExpiredHolds', RECEIVING, `mutation { releaseExpiredHolds(municipalityCode: "${RECEIVING}") }`],
      ['markPlacementRequestOffered', SENDING, byId('markPlacementRequestOffered', SENDING, other.requestId, `, placementId: "${randomUUID()}"`)],
      ['markPlacementRequestAccepted', SENDING, byId('markPlacementRequestAccepted', SENDING, request.requestId)],
      ['reopenPlacementRequest', SENDING, byId('reopenPlacementRequest', SENDING, request.requestId)],
      ['cancelPlacementRequest', SENDING, byId('cancelPlacementRequest', SENDING, request.requestId)],
    ];
    const coordinator = await as(Role.COORDINATOR);
    const refusals: string[] = [];
    for (const [mutation, code, query] of steps) {
      for (const [via, url] of [
        ['gateway', region.gateway.url],
        ['shard', region.shards.get(code)!.url],
      ] as const) {
        const result = await postGraphQL(url, query, {}, coordinator);
        expect(result.data?.[mutation] ?? null).toBeNull();
        refusals.push(`${mutation} via ${via}: ${(result.errors ?? []).map((e) => e.extensions?.code).join(',')}`);
      }
    }
    expect(refusals).toEqual(steps.flatMap(([mutation]) => [`${mutation} via gateway: FORBIDDEN`, `${mutation} via shard: FORBIDDEN`]));
    expect(await sql(receivingDb, 'select id, status, expires_at from booking where unit_id = $1 order by id', [unitId])).toEqual(bookingsBefore);
    expect(
      await sql(sendingDb, 'select id, status, placement_id from placement_request where id in ($1, $2) order by id', [request.requestId, other.requestId]),
    ).toEqual(requestsBefore);
    expect(await coordinatorView(placementId)).toMatchObject({ status: 'OFFERED', booking: { status: 'HELD' }, request: { status: 'OFFERED' } });
  });

  it('lets only the receiving housing manager accept, once', async () => {
    const { placementId } = await newPlacement();
    expect(
      (await gql(step('acceptPlacement'), { id: placementId, key: randomUUID() }, await as(Role.HOUSING_MANAGER, THIRD))).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect((await gql(step('acceptPlacement'), { id: placementId, key: randomUUID() }, await as(Role.CASEWORKER, SENDING))).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const key = randomUUID();
    const accepted = await gql(step('acceptPlacement', '', RECEIVING_VIEW), { id: placementId, key }, await as(Role.HOUSING_MANAGER, RECEIVING));
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptPlacement).toMatchObject({ status: 'ACCEPTED', booking: { status: 'CONFIRMED' } });
    expect(await coordinatorView(placementId)).toMatchObject({ status: 'ACCEPTED', booking: { status: 'CONFIRMED' }, request: { status: 'ACCEPTED' } });
    const replay = await gql(step('acceptPlacement', '', RECEIVING_VIEW), { id: placementId, key }, await as(Role.HOUSING_MANAGER, RECEIVING));
    expect(replay.data!.acceptPlacement.status).toBe('ACCEPTED');
    const secondAccept = await gql(
      step('acceptPlacement', '', RECEIVING_VIEW),
      { id: placementId, key: randomUUID() },
      await as(Role.HOUSING_MANAGER, RECEIVING),
    );
    expect(secondAccept.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  });

  it('gives the sending caseworker the street address once the booking is confirmed, and audits the read', async () => {
    const { unitId, placementId } = await newPlacement(['accept']);
    const result = await gql(`query($id: ID!) { placement(id: $id) { unit { streetAddress } } }`, { id: placementId }, await as(Role.CASEWORKER, SENDING));
    expect(result.errors).toBeUndefined();
    expect(result.data!.placement.unit.streetAddress).toMatch(/^Provvägen/);
    const audited = await sql(
      region.shards.get(RECEIVING)!.database.url,
      `select actor_municipality from audit_log where action = 'READ_STREET_ADDRESS' and subject_id = $1`,
      [unitId],
    );
    expect(audited).toEqual([{ actor_municipality: SENDING }]);
    const outsider = await gql(`query($id: ID!) { placement(id: $id) { unit { streetAddress } } }`, { id: placementId }, await as(Role.COORDINATOR));
    expect(JSON.stringify(outsider.data ?? {})).not.toContain('Provvägen');
  });

  it('lists every unit of the receiving municipality to the sending caseworker: the addresses of the units its bookings there confirm, the others null with one error each', async () => {
    const { unitId } = await newPlacement(['accept']);
    // Which units those are, from the receiving shard's own bookings: other tests confirm bookings too.
    const confirmed = await sql<{ unit_id: string }>(
      region.shards.get(RECEIVING)!.database.url,
      `select distinct unit_id from booking where status = 'CONFIRMED' and sending_municipality = $1`,
      [SENDING],
    );
    expect(confirmed.map((b) => b.unit_id)).toContain(unitId);
    const result = await gql(
      `query($code: ID!) { region { municipality(code: $code) { housingUnits { id streetAddress } } } }`,
      { code: RECEIVING },
      await as(Role.CASEWORKER, SENDING),
    );
    const units = result.data!.region.municipality.housingUnits as { id: string; streetAddress: string | null }[];
    const [allowed, refused] = [units.filter((u) => u.streetAddress !== null), units.filter((u) => u.streetAddress === null)];
    expect(allowed.map((u) => u.id).sort()).toEqual(confirmed.map((b) => b.unit_id).sort());
    expect(allowed).toContainEqual({ id: unitId, streetAddress: expect.stringMatching(/^Provvägen/) });
    expect(refused.length).toBeGreaterThan(0);
    expect(result.errors).toHaveLength(refused.length);
    expect(result.errors!.map((e) => e.path)).toEqual(refused.map((u) => ['region', 'municipality', 'housingUnits', units.indexOf(u), 'streetAddress']));
    for (const error of result.errors!) {
      expect(error).toMatchObject({
        message:
          'HousingUnit.streetAddress is only for: housing_manager of the owning municipality, caseworker of a municipality with a confirmed booking in the unit.',
        extensions: { code: 'FORBIDDEN' },
      });
    }
  });

  it('lists the placement to its parties only: both sides and coordinators, not a third municipality', async () => {
    const { placementId } = await newPlacement();
    const list = async (role: Role, municipality?: string) =>
      ((await gql('query { placements { id } }', {}, await as(role, municipality))).data!.placements as { id: string }[]).map((p) => p.id);
    expect(await list(Role.CASEWORKER, SENDING)).toContain(placementId);
    expect(await list(Role.HOUSING_MANAGER, RECEIVING)).toContain(placementId);
    expect(await list(Role.COORDINATOR)).toContain(placementId);
    expect(await list(Role.CASEWORKER, THIRD)).not.toContain(placementId);
    // The other side's staff of the wrong role see nothing of it either.
    expect(await list(Role.CASEWORKER, RECEIVING)).not.toContain(placementId);
    expect(await list(Role.HOUSING_MANAGER, SENDING)).not.toContain(placementId);
  });

  it("refuses the placement entity to a third municipality's caseworker, straight at the regional subgraph, saying who may see it", async () => {
    const { placementId } = await newPlacement();
    const result = await postGraphQL(
      region.regional.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Placement { id status } } }`,
      { r: [{ __typename: 'Placement', id: placementId }] },
      await as(Role.CASEWORKER, THIRD),
    );
    expect(result.data!._entities).toEqual([null]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message:
          'Only coordinators, caseworkers and data protection officers of the sending municipality and housing managers of the receiving municipality may see this placement.',
        path: ['_entities', 0],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
  });

  it('lets only the sending caseworker record the move-in', async () => {
    const { request, placementId } = await newPlacement(['accept']);
    expect(
      (await gql(step('recordPlacementMoveIn', '', RECEIVING_VIEW), { id: placementId, key: randomUUID() }, await as(Role.HOUSING_MANAGER, RECEIVING)))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const moveKey = randomUUID();
    const moved = await gql(step('recordPlacementMoveIn', '', SENDING_VIEW), { id: placementId, key: moveKey }, await as(Role.CASEWORKER, SENDING));
    expect(moved.errors).toBeUndefined();
    const movedAgain = await gql(step('recordPlacementMoveIn', '', SENDING_VIEW), { id: placementId, key: moveKey }, await as(Role.CASEWORKER, SENDING));
    expect(movedAgain.errors).toBeUndefined();
    expect(movedAgain.data!.recordPlacementMoveIn.status).toBe('ACTIVE');
    expect(moved.data!.recordPlacementMoveIn).toMatchObject({ status: 'ACTIVE', request: { status: 'ACTIVE' } });
    const [participant] = await sql<{ phase: string }>(region.shards.get(SENDING)!.database.url, 'select phase from participant where id = $1', [
      request.participantId,
    ]);
    expect(participant!.phase).toBe('PLACED');
  });

  it('ends the placement, frees the places and keeps the whole history', async () => {
    const { placementId } = await newPlacement(['accept', 'moveIn']);
    const endKey = randomUUID();
    const ended = await gql(
      step('endPlacement', ', endsOn: "2027-02-10"', `${SENDING_VIEW} history { toStatus }`),
      { id: placementId, key: endKey },
      await as(Role.CASEWORKER, SENDING),
    );
    expect(ended.errors).toBeUndefined();
    const endedAgain = await gql(
      step('endPlacement', ', endsOn: "2027-02-10"', `${SENDING_VIEW} history { toStatus }`),
      { id: placementId, key: endKey },
      await as(Role.CASEWORKER, SENDING),
    );
    expect(endedAgain.errors).toBeUndefined();
    expect(endedAgain.data!.endPlacement.history).toHaveLength(5);
    expect(ended.data!.endPlacement).toMatchObject({ status: 'ENDED', request: { status: 'ENDED' } });
    expect(ended.data!.endPlacement.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['PENDING_OFFER', 'OFFERED', 'ACCEPTED', 'ACTIVE', 'ENDED']);
    expect((await coordinatorView(placementId)).booking).toEqual({ status: 'ENDED' });
    const free = await gql(
      `query($id: ID!) { placement(id: $id) { unit { freePlaces(from: "2027-02-10", to: "2027-03-01") } } }`,
      { id: placementId },
      await as(Role.COORDINATOR),
    );
    expect(free.data!.placement.unit.freePlaces).toBe(2);
  });

  it('keeps no personal data in the regional database', async () => {
    const { placementId } = await newPlacement(['accept', 'moveIn']);
    const rows = await sql(
      region.regional.database.url,
      `select row_to_json(p)::text as row from placement p union all select row_to_json(e)::text from placement_event e`,
    );
    // At least this test's placement and its four events (offer started, offered, accepted, active).
    expect(rows.filter((r: any) => r.row.includes(placementId)).length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(rows)).not.toMatch(/Placering|Testsson|Provvägen|1992\d{8}/);
  });

  it('declines and cancels by releasing what was held and opening the request again', async () => {
    const second = await openRequest(region.gateway.url, SENDING);
    const unit = await freshUnit(region.gateway.url, RECEIVING, 1);
    const offer = async () =>
      gql(
        `mutation($input: OfferPlacementInput!) { offerPlacement(input: $input, idempotencyKey: "${randomUUID()}") { id } }`,
        { input: { requestMunicipality: SENDING, requestId: second.requestId, unitMunicipality: RECEIVING, unitId: unit } },
        await as(Role.COORDINATOR),
      );
    const first = (await offer()).data!.offerPlacement.id;
    const declineKey = randomUUID();
    const declined = await gql(step('declinePlacement', '', RECEIVING_VIEW), { id: first, key: declineKey }, await as(Role.HOUSING_MANAGER, RECEIVING));
    expect(declined.data!.declinePlacement).toMatchObject({ status: 'DECLINED', booking: { status: 'RELEASED' } });
    const declinedAgain = await gql(step('declinePlacement', '', RECEIVING_VIEW), { id: first, key: declineKey }, await as(Role.HOUSING_MANAGER, RECEIVING));
    expect(declinedAgain.data!.declinePlacement.status).toBe('DECLINED');
    expect((await coordinatorView(first)).request).toMatchObject({ status: 'OPEN' });
    const again = (await offer()).data!.offerPlacement.id;
    const cancelKey = randomUUID();
    const cancelled = await gql(step('cancelPlacement', '', SENDING_VIEW), { id: again, key: cancelKey }, await as(Role.CASEWORKER, SENDING));
    expect(cancelled.data!.cancelPlacement).toMatchObject({ status: 'CANCELLED', request: { status: 'OPEN' } });
    const cancelledAgain = await gql(step('cancelPlacement', '', SENDING_VIEW), { id: again, key: cancelKey }, await as(Role.CASEWORKER, SENDING));
    expect(cancelledAgain.data!.cancelPlacement.status).toBe('CANCELLED');
    const events = await sql(region.regional.database.url, 'select to_status from placement_event where placement_id = $1', [again]);
    expect(events.filter((e: any) => e.to_status === 'CANCELLED')).toHaveLength(1);
    expect((await coordinatorView(again)).booking).toEqual({ status: 'RELEASED' });

    // Why is a code in the history both municipalities read, never a sentence that could name the person.
    const third = (await offer()).data!.offerPlacement.id;
    const DECLINE = `mutation($id: ID!, $key: String!, $reason: PlacementReason) { declinePlacement(id: $id, idempotencyKey: $key, reason: $reason) { history { toStatus note } } }`;
    const prose = await gql(
      DECLINE.replace('$reason: PlacementReason', '$reason: String'),
      { id: third, key: randomUUID(), reason: 'Anna refuses, her ex lives nearby' },
      await as(Role.HOUSING_MANAGER, RECEIVING),
    );
    expect(prose.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const coded = await gql(DECLINE, { id: third, key: randomUUID(), reason: 'SAFETY' }, await as(Role.HOUSING_MANAGER, RECEIVING));
    expect(coded.errors).toBeUndefined();
    expect(coded.data!.declinePlacement.history.at(-1)).toEqual({ toStatus: 'DECLINED', note: 'SAFETY' });
  });
});
