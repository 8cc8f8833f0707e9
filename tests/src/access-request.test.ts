import AxeBuilder from '@axe-core/playwright';
import { postGraphQL, Role } from '@sodertorn/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { freshUnit } from './support/placement-fixtures';
import { offer, takeSteps } from './support/placement-journey';
import { syntheticPersonnummer } from './support/personnummer';
import { queryRows } from './support/sql';
import { startTestRegion, type TestRegion } from './support/test-region';

/** Where the docs' screenshots are kept (as the web app's tests keep theirs). */
const SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');

const HOME = '0126';
const RECEIVING = '0138';
const OTHER = '0127';
const parties = { sending: HOME, receiving: RECEIVING };

/** Who does what in this test: the expected answers are these, not what the code says. */
const HOME_CASEWORKER = 'cw-0126-access-request';
const RECEIVING_MANAGER = 'hm-0138-address-reader';
const OTHER_CASEWORKER = 'cw-0127-curious';

const READ_FIELDS = 'municipalityCode seq occurredAt actorSub actorRoles actorMunicipality action subjectType purpose';
const ACCESS_REQUEST = `query($id: ID!, $code: ID) { accessRequest(participantId: $id, municipalityCode: $code) {
  producedAt municipalityCode
  participant { id firstName lastName personalIdentityNumber protectedIdentity phase intakeDate exitDate phaseHistory { phase changedAt }
    placementRequests { id caseReference status
      placements { id status startsOn endsOn receivingMunicipality { code }
        booking { municipalityCode id addressReads { ${READ_FIELDS} } } } } }
  reads { ${READ_FIELDS} } } }`;

interface Read {
  municipalityCode: string;
  seq: number;
  occurredAt: string;
  actorSub: string;
  actorRoles: string[];
  actorMunicipality: string | null;
  action: string;
  subjectType: string;
  purpose: string | null;
}

/**
 * A participant of one municipality placed in a unit of another: the receiving municipality's
 * reads of the unit's address reach the participant's register extract, asked for by their home
 * caseworker through the gateway — and nothing of anyone else does.
 */
describe('Access request (registerutdrag): everything held about one participant, with every read of it', () => {
  let region: TestRegion;
  let people = 7100;

  const gql = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    postGraphQL(region.gateway.url, query, variables, headers);

  /** Registers a participant with these names and opens a request for them, as the home caseworker. */
  async function participantWithRequest(firstName: string, lastName: string) {
    const caseworker = await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER);
    const pnr = syntheticPersonnummer(++people, 1990);
    const registered = await gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          firstName,
          lastName,
          ...pnr,
          gender: 'FEMALE',
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: [],
          intakeDate: '2026-10-01',
          responsibleCaseworker: HOME_CASEWORKER,
        },
      },
      caseworker,
    );
    if (registered.errors) throw new Error(JSON.stringify(registered.errors));
    const participantId: string = registered.data!.registerParticipant.id;
    const created = await gql(
      `mutation($id: ID!, $input: CreatePlacementRequestInput!) { createPlacementRequest(participantId: $id, input: $input) { id caseReference } }`,
      { id: participantId, input: { urgency: 'HIGH', earliestStart: '2027-03-01', expectedDurationDays: 60, allowedKinds: ['PROTECTED'] } },
      caseworker,
    );
    if (created.errors) throw new Error(JSON.stringify(created.errors));
    return {
      participantId,
      pnr: pnr.personalIdentityNumber,
      requestId: created.data!.createPlacementRequest.id as string,
      caseReference: created.data!.createPlacementRequest.caseReference as string,
    };
  }

  /** Offers the unit for the request (coordinator) and takes the steps; the placement and its booking ids. */
  async function place(requestId: string, unitId: string, steps: ('accept' | 'moveIn')[]) {
    const offered = await offer(region, parties, requestId, unitId);
    if (offered.errors) throw new Error(JSON.stringify(offered.errors));
    const placementId: string = offered.data!.offerPlacement.id;
    await takeSteps(region, parties, placementId, steps);
    const seen = await gql(`query($id: ID!) { placement(id: $id) { booking { id } } }`, { id: placementId }, await region.bearer(Role.COORDINATOR));
    return { placementId, bookingId: seen.data!.placement.booking.id as string };
  }

  /** Reads every own unit's street address as the receiving housing manager, saying why; the time around it. */
  async function readAddresses(purpose: string) {
    const before = Date.now();
    const result = await gql(
      `{ myMunicipality { housingUnits { id streetAddress } } }`,
      {},
      {
        ...(await region.bearer(Role.HOUSING_MANAGER, RECEIVING, RECEIVING_MANAGER)),
        'x-purpose': purpose,
      },
    );
    expect(result.errors).toBeUndefined();
    return { before, after: Date.now() };
  }

  let anna: Awaited<ReturnType<typeof participantWithRequest>>;
  let bertil: Awaited<ReturnType<typeof participantWithRequest>>;
  let annaPlacement: { placementId: string; bookingId: string };
  let bertilPlacement: { placementId: string; bookingId: string };
  let managerRead: { before: number; after: number };
  let caseworkerRead: { before: number; after: number };

  beforeAll(async () => {
    region = await startTestRegion({ seed: false });
    anna = await participantWithRequest('Annaextrakt', 'Registersdotter');
    bertil = await participantWithRequest('Bertilannan', 'Grannsson');
    const annaUnit = await freshUnit(region.gateway.url, RECEIVING, 1);
    const bertilUnit = await freshUnit(region.gateway.url, RECEIVING, 1);
    // Anna's unit is only offered when this read happens: the read does not concern her yet.
    const offered = await offer(region, parties, anna.requestId, annaUnit);
    annaPlacement = { placementId: offered.data!.offerPlacement.id, bookingId: '' };
    await readAddresses('Besiktning före erbjudande');
    await takeSteps(region, parties, annaPlacement.placementId, ['accept', 'moveIn']);
    const seen = await gql(
      `query($id: ID!) { placement(id: $id) { booking { id } } }`,
      { id: annaPlacement.placementId },
      await region.bearer(Role.COORDINATOR),
    );
    annaPlacement.bookingId = seen.data!.placement.booking.id;
    bertilPlacement = await place(bertil.requestId, bertilUnit, ['accept', 'moveIn']);
    // One request reads both units' addresses: each read concerns only the booking of its own unit.
    managerRead = await readAddresses('Nyckelöverlämning');
    // The home caseworker reads the address of Anna's unit (allowed: her booking is confirmed), through the receiving shard.
    caseworkerRead = { before: Date.now(), after: 0 };
    const read = await gql(
      `query($id: ID!) { placement(id: $id) { unit { streetAddress } } }`,
      { id: annaPlacement.placementId },
      {
        ...(await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER)),
        'x-purpose': 'Flyttbrev',
      },
    );
    expect(read.errors).toBeUndefined();
    caseworkerRead.after = Date.now();
  });

  afterAll(async () => {
    await region?.destroy();
  });

  const requestAs = async (id: string, caller: Record<string, string>, code?: string) => gql(ACCESS_REQUEST, { id, code }, caller);

  it("lists the receiving municipality's reads of the placed participant's address: who, role, when, purpose, municipality", async () => {
    const result = await requestAs(anna.participantId, { ...(await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER)), 'x-purpose': 'Registerutdrag' });
    expect(result.errors).toBeUndefined();
    const document = result.data!.accessRequest;
    expect(document.participant).toMatchObject({
      id: anna.participantId,
      firstName: 'Annaextrakt',
      lastName: 'Registersdotter',
      personalIdentityNumber: anna.pnr,
    });
    // Her phases: registered at intake, placed by the move-in in Tyresö.
    expect(document.participant.phaseHistory.map((c: { phase: string }) => c.phase)).toEqual(['INTAKE', 'PLACED']);
    const [request] = document.participant.placementRequests;
    expect(request).toMatchObject({ id: anna.requestId, caseReference: anna.caseReference, status: 'ACTIVE' });
    expect(request.placements).toHaveLength(1);
    const [placement] = request.placements;
    expect(placement).toMatchObject({ id: annaPlacement.placementId, status: 'ACTIVE', receivingMunicipality: { code: RECEIVING } });
    expect(placement.booking).toMatchObject({ municipalityCode: RECEIVING, id: annaPlacement.bookingId });

    const reads: Read[] = placement.booking.addressReads;
    // Exactly the two reads made while she lived there (or was about to): not the one before the offer was accepted.
    expect(reads.map((r) => [r.actorSub, r.actorRoles, r.actorMunicipality, r.municipalityCode, r.action, r.subjectType, r.purpose])).toEqual([
      [RECEIVING_MANAGER, ['HOUSING_MANAGER'], RECEIVING, RECEIVING, 'READ_STREET_ADDRESS', 'HousingUnit', 'Nyckelöverlämning'],
      [HOME_CASEWORKER, ['CASEWORKER'], HOME, RECEIVING, 'READ_STREET_ADDRESS', 'HousingUnit', 'Flyttbrev'],
    ]);
    const within = (at: string, span: { before: number; after: number }) => Date.parse(at) >= span.before - 1000 && Date.parse(at) <= span.after + 1000;
    expect(within(reads[0]!.occurredAt, managerRead)).toBe(true);
    expect(within(reads[1]!.occurredAt, caseworkerRead)).toBe(true);
  });

  it("contains no other participant's data, not even of the one placed in the same municipality and read in the same request", async () => {
    const result = await requestAs(anna.participantId, await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER));
    const text = JSON.stringify(result);
    for (const value of [
      bertil.participantId,
      bertil.pnr,
      'Bertilannan',
      'Grannsson',
      bertil.requestId,
      bertil.caseReference,
      bertilPlacement.placementId,
      bertilPlacement.bookingId,
    ]) {
      expect(text).not.toContain(value);
    }
    // …while Bertil's own extract has his read of that request.
    const his = await requestAs(bertil.participantId, await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER));
    const hisReads: Read[] = his.data!.accessRequest.participant.placementRequests[0].placements[0].booking.addressReads;
    expect(hisReads.map((r) => r.purpose)).toEqual(['Nyckelöverlämning']);
    expect(JSON.stringify(his)).not.toContain('Annaextrakt');
  });

  it('records producing the document as a read, in the document itself and in the home audit log', async () => {
    const purpose = 'Begäran om registerutdrag, brev från den registrerade';
    const first = await requestAs(anna.participantId, { ...(await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER)), 'x-purpose': purpose });
    const ownReads: Read[] = first.data!.accessRequest.reads;
    expect(ownReads.at(-1)).toMatchObject({
      municipalityCode: HOME,
      actorSub: HOME_CASEWORKER,
      actorRoles: ['CASEWORKER'],
      actorMunicipality: HOME,
      action: 'ACCESS_REQUEST',
      subjectType: 'Participant',
      purpose,
    });
    const log = await gql(
      `query($id: ID!) { auditLog(subjectId: $id, action: "ACCESS_REQUEST", limit: 1000) { actorSub purpose } }`,
      { id: anna.participantId },
      await region.bearer(Role.AUDITOR, HOME),
    );
    expect(log.data!.auditLog).toContainEqual({ actorSub: HOME_CASEWORKER, purpose });
    // The receiving shard recorded the home caseworker's look at its log, by the booking's id alone.
    const receivingLog = await gql(
      `query($id: ID!) { auditLog(subjectId: $id, action: "READ_AUDIT_LOG", limit: 1000) { actorSub actorMunicipality subjectType purpose } }`,
      { id: annaPlacement.bookingId },
      await region.bearer(Role.AUDITOR, RECEIVING),
    );
    expect(receivingLog.data!.auditLog).toContainEqual({ actorSub: HOME_CASEWORKER, actorMunicipality: HOME, subjectType: 'Booking', purpose });
  });

  it("refuses another municipality's caseworker: through the gateway, at the region, and at the receiving shard", async () => {
    const other = await region.bearer(Role.CASEWORKER, OTHER, OTHER_CASEWORKER);
    const named = await requestAs(anna.participantId, other, HOME);
    expect(named.data).toBeNull();
    expect(named.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ownShard = await requestAs(anna.participantId, other);
    expect(ownShard.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify([named, ownShard])).not.toContain('Annaextrakt');
    // The region's placements of her request are not theirs to list…
    const placements = await postGraphQL(
      region.regional.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on PlacementRequest { placements { id } } } }`,
      { r: [{ __typename: 'PlacementRequest', municipalityCode: HOME, id: anna.requestId }] },
      other,
    );
    expect(placements.data!._entities).toEqual([{ placements: [] }]);
    // …and the receiving shard refuses them the reads that concern her booking.
    const reads = await postGraphQL(
      region.shards.get(RECEIVING)!.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Booking { addressReads { actorSub } } } }`,
      { r: [{ __typename: 'Booking', municipalityCode: RECEIVING, id: annaPlacement.bookingId }] },
      other,
    );
    expect(reads.data!._entities).toEqual([{ addressReads: null }]);
    expect(reads.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  describe('the readable extract (POST /access-request at the gateway)', () => {
    const extract = async (participantId: string, caller: Record<string, string>, accept: string, body: Record<string, unknown> = {}) =>
      fetch(new URL('/access-request', region.gateway.url), {
        method: 'POST',
        headers: { ...caller, accept, 'content-type': 'application/json' },
        body: JSON.stringify({ participantId, ...body }),
      });

    it("gives the home caseworker the whole extract as HTML, with the receiving municipality's reads, and no one else's data", async () => {
      const response = await extract(anna.participantId, await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER), 'text/html');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect(html).toMatch(/^<!doctype html>\s*<html lang="sv">/);
      for (const expected of ['Registerutdrag', 'Annaextrakt', anna.pnr, RECEIVING_MANAGER, 'Nyckelöverlämning', 'Flyttbrev', 'Läste bostadens adress'])
        expect(html).toContain(expected);
      for (const value of ['Bertilannan', bertil.pnr, bertil.caseReference, 'Besiktning före erbjudande']) expect(html).not.toContain(value);
    });

    it('is a page a screen reader and a printer can use: headings, labelled tables, no serious axe-core finding, in Chromium', async () => {
      const response = await extract(anna.participantId, await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER), 'text/html');
      const browser = await chromium.launch({
        executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      try {
        const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'sv-SE' })).newPage();
        await page.setContent(await response.text());
        await page.getByRole('heading', { name: 'Registerutdrag', level: 1 }).waitFor();
        await page.getByRole('heading', { name: 'Vem har läst uppgifterna', level: 2 }).waitFor();
        // The reads' table: a header per column, and the receiving manager's read in its own row.
        const row = page.getByRole('row').filter({ hasText: RECEIVING_MANAGER });
        // In words and Swedish time, for the person it is given to.
        expect(await row.getByRole('cell').allInnerTexts()).toEqual([
          expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
          RECEIVING,
          RECEIVING_MANAGER,
          'boendeansvarig',
          RECEIVING,
          'Läste bostadens adress',
          'Nyckelöverlämning',
        ]);
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: resolve(SCREENSHOTS, 'access-request-extract.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    }, 60_000);

    it("gives the structured document as JSON: every municipality's reads in one list, its own production among them", async () => {
      const response = await extract(anna.participantId, await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER), 'application/json');
      expect(response.status).toBe(200);
      const document = (await response.json()) as { reads: Read[]; incomplete: string[]; placementRequests: { placements: { id: string }[] }[] };
      expect(document.incomplete).toEqual([]);
      expect(document.placementRequests[0]!.placements.map((p) => p.id)).toEqual([annaPlacement.placementId]);
      const fromReceiving = document.reads.filter((r) => r.municipalityCode === RECEIVING).map((r) => [r.actorSub, r.purpose]);
      expect(fromReceiving).toEqual([
        [RECEIVING_MANAGER, 'Nyckelöverlämning'],
        [HOME_CASEWORKER, 'Flyttbrev'],
      ]);
      // Recorded with the route's own purpose when the caller states none.
      expect(document.reads.at(-1)).toMatchObject({
        municipalityCode: HOME,
        action: 'ACCESS_REQUEST',
        actorSub: HOME_CASEWORKER,
        purpose: 'Registerutdrag enligt dataskyddsförordningen',
      });
      const times = document.reads.map((r) => r.occurredAt);
      expect(times).toEqual([...times].sort());
    });

    it("refuses another municipality's caseworker, a missing token and a participant id that is none, naming the field", async () => {
      const other = await extract(anna.participantId, await region.bearer(Role.CASEWORKER, OTHER, OTHER_CASEWORKER), 'text/html');
      expect(other.status).toBe(404);
      expect(await other.text()).not.toContain('Annaextrakt');
      expect((await extract(anna.participantId, {}, 'text/html')).status).toBe(401);
      const bad = await extract('not-an-id', await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER), 'text/html');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'participantId', message: expect.any(String) }] } })],
      });
    });
  });

  it("lets the home municipality's data protection officer produce the same extract, and nothing else of the programme's data", async () => {
    const officer = { ...(await region.bearer(Role.DATA_PROTECTION_OFFICER, HOME, 'dataskydd-0126-test')), 'x-purpose': 'Begäran från den registrerade' };
    const result = await requestAs(anna.participantId, officer);
    expect(result.errors).toBeUndefined();
    const placement = result.data!.accessRequest.participant.placementRequests[0].placements[0];
    expect(placement.id).toBe(annaPlacement.placementId);
    expect(placement.booking.addressReads.map((r: Read) => [r.actorSub, r.purpose])).toEqual([
      [RECEIVING_MANAGER, 'Nyckelöverlämning'],
      [HOME_CASEWORKER, 'Flyttbrev'],
    ]);
    expect(result.data!.accessRequest.reads.at(-1)).toMatchObject({
      actorSub: 'dataskydd-0126-test',
      actorRoles: ['DATA_PROTECTION_OFFICER'],
      action: 'ACCESS_REQUEST',
    });
    // No list of participants, no single participant outside an extract, no audit log.
    for (const query of [`{ participants { id } }`, `query($id: ID!) { participant(id: $id) { lastName } }`, `{ auditLog { seq } }`]) {
      const refused = await gql(query, { id: anna.participantId }, officer);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(refused)).not.toContain('Registersdotter');
    }
    // Another municipality's officer gets nothing of her.
    const other = await requestAs(anna.participantId, await region.bearer(Role.DATA_PROTECTION_OFFICER, OTHER), HOME);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(other)).not.toContain('Registersdotter');
  });

  it('leaves no personal data with the receiving shard or the region, and every audit chain intact', async () => {
    const markers = [anna.pnr, 'Annaextrakt', 'Registersdotter', anna.participantId];
    const receiving = await queryRows<{ row: string }>(region.shards.get(RECEIVING)!.database.url, `select a::text as row from audit_log a`);
    const regional = await queryRows<{ row: string }>(region.regional.database.url, `select p::text as row from placement p`);
    const stored = JSON.stringify([receiving, regional]);
    for (const marker of markers) expect(stored).not.toContain(marker);
    for (const code of [HOME, RECEIVING]) {
      const verified = await gql(`{ auditChainVerification { intact rows } }`, {}, await region.bearer(Role.AUDITOR, code));
      expect(verified.data!.auditChainVerification).toMatchObject({ intact: true });
      expect(verified.data!.auditChainVerification.rows).toBeGreaterThan(1);
    }
  });

  // Last: it takes the receiving municipality down for the rest of this region's life.
  it('says the extract is incomplete, and which municipality is missing, when the receiving one does not answer', async () => {
    await region.shards.get(RECEIVING)!.stopServing();
    const response = await fetch(new URL('/access-request', region.gateway.url), {
      method: 'POST',
      headers: { ...(await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER)), accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ participantId: anna.participantId }),
    });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { reads: Read[]; incomplete: string[]; participant: { lastName: string } };
    expect(document.participant.lastName).toBe('Registersdotter');
    expect(document.incomplete).toEqual([expect.stringContaining(`Municipality ${RECEIVING} is unavailable`)]);
    expect(document.reads.filter((r) => r.municipalityCode === RECEIVING)).toEqual([]);
    expect(document.reads.at(-1)).toMatchObject({ municipalityCode: HOME, action: 'ACCESS_REQUEST' });
  });
});

describe('Access request in production, where staff may run registered operations only', () => {
  let region: TestRegion;
  const PARTICIPANT = '00000000-0000-4000-8000-00000000a15e';

  beforeAll(async () => {
    region = await startTestRegion({ seed: false, trustedDocuments: { operations: new Map(), required: true } });
    // No caseworker may send the registration mutation here, so the participant is written as the migrations' owner would.
    await queryRows(
      region.shards.get(HOME)!.database.url,
      `insert into participant (id, first_name, last_name, personal_identity_number, protected_identity, birth_date, gender, household_adults, household_children, phase, referral_source, risk_level, excluded_municipalities, intake_date, responsible_caseworker, created_at, updated_at)
       values ($1, 'Skyddad', 'Utdragsdotter', '199001019802', true, '1990-01-01', 'FEMALE', 1, 0, 'ACTIVE', 'POLICE', 'HIGH', '{}', '2026-01-01', 'cw', now(), now())`,
      [PARTICIPANT],
    );
  });
  afterAll(async () => {
    await region?.destroy();
  });

  it("runs the route's own operation, marks a protected identity, and still refuses a caseworker's own document", async () => {
    const caseworker = await region.bearer(Role.CASEWORKER, HOME, HOME_CASEWORKER);
    const response = await fetch(new URL('/access-request', region.gateway.url), {
      method: 'POST',
      headers: { ...caseworker, accept: 'text/html', 'content-type': 'application/json' },
      body: JSON.stringify({ participantId: PARTICIPANT, language: 'en' }),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Utdragsdotter');
    expect(html).toMatch(/<p class="notice" role="note">Protected personal data:/);
    const own = await postGraphQL(
      region.gateway.url,
      `query($id: ID!) { accessRequest(participantId: $id) { participant { lastName } } }`,
      { id: PARTICIPANT },
      caseworker,
    );
    expect(own.data ?? null).toBeNull();
    expect(own.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });
});
