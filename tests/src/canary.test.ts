import { Role } from '@sodertorn/auth';
import { postGraphQL } from '@sodertorn/testing';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { Client } from 'pg';
import { apiSchema, PATHS, selectField } from './support/api-schema';
import { memoryLog } from './support/memory-logger';
import { syntheticPersonnummer } from './support/personnummer';
import { startTestRegion, type TestRegion } from './support/test-region';

const HOME = '0126';
const canary = { firstName: 'Kanariefågel', lastName: 'Markörsdotter', ...syntheticPersonnummer(4242, 1988) };
const address = 'Kanariegränd 77';
const PERSON_MARKERS = [
  canary.firstName,
  canary.lastName,
  canary.personalIdentityNumber,
  `${canary.personalIdentityNumber.slice(0, 8)}-${canary.personalIdentityNumber.slice(8)}`,
  canary.birthDate,
];
const ALL_MARKERS = [...PERSON_MARKERS, address];

/** Every caller but the ones entitled to the canary; with what each must never see. */
const OUTSIDERS: { label: string; roles: Role[]; municipality?: string; mustNotSee: string[] }[] = [
  { label: 'caseworker of 0127', roles: [Role.CASEWORKER], municipality: '0127', mustNotSee: ALL_MARKERS },
  { label: 'housing manager of 0127', roles: [Role.HOUSING_MANAGER], municipality: '0127', mustNotSee: ALL_MARKERS },
  { label: 'auditor of 0127', roles: [Role.AUDITOR], municipality: '0127', mustNotSee: ALL_MARKERS },
  { label: 'auditor of 0126', roles: [Role.AUDITOR], municipality: HOME, mustNotSee: ALL_MARKERS },
  { label: 'data protection officer of 0127', roles: [Role.DATA_PROTECTION_OFFICER], municipality: '0127', mustNotSee: ALL_MARKERS },
  // Entitled to the canary's register extract (which holds no address), not to the crawl's paths.
  { label: 'data protection officer of 0126', roles: [Role.DATA_PROTECTION_OFFICER], municipality: HOME, mustNotSee: [address] },
  { label: 'coordinator', roles: [Role.COORDINATOR], mustNotSee: ALL_MARKERS },
  { label: 'analyst', roles: [Role.ANALYST], mustNotSee: ALL_MARKERS },
  { label: 'service', roles: [Role.SERVICE], mustNotSee: ALL_MARKERS },
  { label: 'housing manager of 0126', roles: [Role.HOUSING_MANAGER], municipality: HOME, mustNotSee: PERSON_MARKERS },
  { label: 'caseworker of 0126', roles: [Role.CASEWORKER], municipality: HOME, mustNotSee: [address] },
];

/** One query per reachable type and municipality, selecting every field of the type. */
function crawlQueries(): string[] {
  const schema = apiSchema();
  return Object.keys(PATHS)
    .flatMap((typeName) => {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const selection = Object.values(type.getFields()).map(selectField).join(' ');
      return [HOME, '0127'].map((m) => PATHS[typeName]!(m, selection).query);
    })
    .concat(
      `{ region { municipalities { code name housingUnits { ${fieldsOf('HousingUnit')} bookings(from: "2026-11-01", to: "2027-06-01") { id unit { ${fieldsOf('HousingUnit')} } } } } } }`,
    );

  function fieldsOf(name: string): string {
    return Object.values((schema.getType(name) as GraphQLObjectType).getFields())
      .filter((f) => !isObjectType(getNamedType(f.type)))
      .map(selectField)
      .join(' ');
  }
}

describe("Canary: one municipality's marked participant never shows up anywhere else", () => {
  let region: TestRegion;
  const capture = memoryLog('debug');
  const seen = new Map<string, string>();

  beforeAll(async () => {
    region = await startTestRegion({ seed: true, logger: capture.logger, identityProviders: true });
    const caseworker = await region.bearer(Role.CASEWORKER, HOME);
    const registered = await postGraphQL(
      region.gateway.url,
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { id } }`,
      {
        input: {
          ...canary,
          gender: 'FEMALE',
          householdChildren: 2,
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: ['0180'],
          intakeDate: '2026-11-02',
          responsibleCaseworker: 'cw-1',
        },
      },
      caseworker,
    );
    expect(registered.errors).toBeUndefined();
    const unit = await postGraphQL(
      region.gateway.url,
      `mutation { registerHousingUnit(input: { kind: PROTECTED, places: 2, district: "Vårby", streetAddress: "${address}" }) { id } }`,
      {},
      await region.bearer(Role.HOUSING_MANAGER, HOME),
    );
    expect(unit.errors).toBeUndefined();
    // An open placement request for the canary, as coordinators see them.
    const requested = await postGraphQL(
      region.gateway.url,
      `mutation($id: ID!) { createPlacementRequest(participantId: $id, input: { urgency: IMMEDIATE, earliestStart: "2026-11-28", expectedDurationDays: 90, allowedKinds: [PROTECTED] }) { id } }`,
      { id: registered.data!.registerParticipant.id },
      caseworker,
    );
    expect(requested.errors).toBeUndefined();

    for (const outsider of OUTSIDERS) {
      const headers = await region.bearer(outsider.roles, outsider.municipality);
      const answers = await Promise.all(crawlQueries().map((query) => postGraphQL(region.gateway.url, query, {}, headers)));
      seen.set(outsider.label, JSON.stringify(answers));
    }
  }, 120_000);

  afterAll(async () => {
    await region.destroy();
  });

  it('is visible to its own caseworker (so the crawl could find it)', async () => {
    const own = await postGraphQL(
      region.gateway.url,
      `{ participants { firstName lastName personalIdentityNumber } }`,
      {},
      await region.bearer(Role.CASEWORKER, HOME),
    );
    expect(JSON.stringify(own.data)).toContain(canary.personalIdentityNumber);
    const manager = await postGraphQL(
      region.gateway.url,
      `{ myMunicipality { housingUnits { streetAddress } } }`,
      {},
      await region.bearer(Role.HOUSING_MANAGER, HOME),
    );
    expect(JSON.stringify(manager.data)).toContain(address);
  });

  it.each(OUTSIDERS.map((o) => [o.label, o] as const))('never reaches the %s', (label, outsider) => {
    const answers = seen.get(label)!;
    expect(answers.length).toBeGreaterThan(1000);
    for (const marker of outsider.mustNotSee) expect(answers).not.toContain(marker);
  });

  it('is not in the regional database', async () => {
    const db = new Client({ connectionString: region.regional.database.url });
    await db.connect();
    const { rows } = await db.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public'`);
    let dump = '';
    for (const { table_name } of rows) dump += JSON.stringify((await db.query(`select * from "${table_name}"`)).rows);
    await db.end();
    expect(dump).toContain('Huddinge');
    for (const marker of ALL_MARKERS) expect(dump).not.toContain(marker);
  });

  it('is not in the logs of the gateway or any subgraph', () => {
    const log = capture.lines.join('\n');
    expect(log).toContain('"operationName"');
    for (const marker of ALL_MARKERS) expect(log).not.toContain(marker);
  });
});
