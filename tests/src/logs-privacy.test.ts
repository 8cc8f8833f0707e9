import { Role } from '@sodertorn/auth';
import { bearer, postGraphQL } from '@sodertorn/testing';
import { randomInt } from 'node:crypto';
import { memoryLog } from './support/memory-logger';
import { syntheticPersonnummer } from './support/personnummer';
import { startTestRegion, type TestRegion } from './support/test-region';

const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');

// A valid personnummer of a plainly synthetic birth number (98x/99x), on a random day: never a real person's.
const { personalIdentityNumber: PNR, birthDate: BIRTH_DATE } = syntheticPersonnummer(randomInt(3000), 1983);
/** Values that must never reach a log line, each unlikely to occur there by chance. */
const MARKERS = {
  firstName: `Zq${letters(10)}`,
  lastName: `Zq${letters(10)}son`,
  newLastName: `Zq${letters(10)}berg`,
  personnummer12: PNR,
  personnummerWithHyphen: `${PNR.slice(0, 8)}-${PNR.slice(8)}`,
  personnummer10: PNR.slice(2),
  personnummer10WithHyphen: `${PNR.slice(2, 8)}-${PNR.slice(8)}`,
  streetAddress: `Zq${letters(8)}gatan`,
  newStreetAddress: `Zq${letters(8)}vägen`,
};

const REGISTER = `mutation RegisterParticipant($input: RegisterParticipantInput!) {
  registerParticipant(input: $input) { id firstName lastName personalIdentityNumber }
}`;
const READ = `query ReadParticipant($id: ID!) {
  participant(id: $id) { id firstName lastName personalIdentityNumber }
  participants { id firstName lastName personalIdentityNumber }
}`;
const UPDATE = `mutation UpdateParticipant($id: ID!, $input: UpdateParticipantInput!) {
  updateParticipant(id: $id, input: $input) { id lastName }
}`;
const REGISTER_UNIT = `mutation RegisterHousingUnit($input: RegisterHousingUnitInput!) {
  registerHousingUnit(input: $input) { id streetAddress }
}`;
const UPDATE_UNIT = `mutation UpdateHousingUnit($id: ID!, $input: UpdateHousingUnitInput!) {
  updateHousingUnit(id: $id, input: $input) { id streetAddress }
}`;
const READ_UNITS = `query HousingAddresses { myMunicipality { housingUnits { id streetAddress } } }`;

const participantInput = (overrides: Record<string, unknown> = {}) => ({
  firstName: MARKERS.firstName,
  lastName: MARKERS.lastName,
  personalIdentityNumber: MARKERS.personnummer12,
  birthDate: BIRTH_DATE,
  gender: 'FEMALE',
  referralSource: 'SELF',
  riskLevel: 'LOW',
  intakeDate: '2026-11-20',
  responsibleCaseworker: 'caseworker-0126-1',
  ...overrides,
});

describe('Logs: personal data never reaches a log line, whatever the request does', () => {
  // The services' own logger (with its redaction), at its most verbose, into memory.
  const log = memoryLog('trace');
  /** Whatever else the process prints meanwhile: console and raw stdout/stderr. */
  const printed: string[] = [];
  const restore: (() => void)[] = [];
  let region: TestRegion;
  let caseworker: Record<string, string>;
  let housingManager: Record<string, string>;

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
      restore.push(() => spy.mockRestore());
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: never[]) => (printed.push(String(chunk)), write(chunk as string, ...rest))) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    region = await startTestRegion({ seed: true, logger: log.logger });
    caseworker = await bearer(Role.CASEWORKER, '0126', 'caseworker-0126-1');
    housingManager = await bearer(Role.HOUSING_MANAGER, '0126', 'housing-0126-1');
  });
  afterAll(async () => {
    await region?.destroy();
    restore.forEach((undo) => undo());
  });

  it('registers, reads, updates and fails with the markers in variables, then finds none of them in any log line', async () => {
    // Register, read back (audited reads), update.
    const registered = await postGraphQL(region.gateway.url, REGISTER, { input: participantInput() }, caseworker);
    expect(registered.errors).toBeUndefined();
    const id = registered.data!.registerParticipant.id as string;
    expect(registered.data!.registerParticipant.personalIdentityNumber).toBe(MARKERS.personnummer12);

    const read = await postGraphQL(region.gateway.url, READ, { id }, { ...caseworker, 'x-purpose': `follow-up ${MARKERS.lastName}` });
    expect(read.errors).toBeUndefined();
    expect(read.data!.participant.lastName).toBe(MARKERS.lastName);

    const updated = await postGraphQL(region.gateway.url, UPDATE, { id, input: { lastName: MARKERS.newLastName, firstName: MARKERS.firstName } }, caseworker);
    expect(updated.errors).toBeUndefined();

    // A validation error (birth date does not match the personnummer) and an input rule (name too long).
    const invalid = await postGraphQL(
      region.gateway.url,
      REGISTER,
      { input: participantInput({ personalIdentityNumber: MARKERS.personnummerWithHyphen, birthDate: '1970-01-01' }) },
      caseworker,
    );
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    const tooLong = await postGraphQL(region.gateway.url, REGISTER, { input: participantInput({ firstName: MARKERS.firstName.repeat(12) }) }, caseworker);
    expect(tooLong.errors?.length).toBeGreaterThan(0);
    expect(tooLong.data ?? null).toBeNull();

    // The same personnummer again, in its other form: the database's unique violation quotes the number.
    const duplicate = await postGraphQL(
      region.gateway.url,
      REGISTER,
      { input: participantInput({ personalIdentityNumber: MARKERS.personnummerWithHyphen }) },
      caseworker,
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });

    // Markers where the gateway itself refuses: a literal of the wrong type, and a body that is not JSON.
    const wrongType = await postGraphQL(
      region.gateway.url,
      `mutation { registerParticipant(input: { firstName: "${MARKERS.firstName}", lastName: "${MARKERS.lastName}", personalIdentityNumber: ${MARKERS.personnummer12}, birthDate: "${BIRTH_DATE}", gender: FEMALE, referralSource: SELF, riskLevel: LOW, intakeDate: "2026-11-20", responsibleCaseworker: "x" }) { id } }`,
      {},
      caseworker,
    );
    expect(wrongType.status).toBe(400);
    const notJson = await fetch(region.gateway.url, {
      method: 'POST',
      headers: { ...caseworker, 'content-type': 'application/json' },
      body: `{"query": "${REGISTER.replaceAll('\n', ' ')}", "variables": {"input": ${JSON.stringify(participantInput())}`,
    });
    expect(notJson.status).toBe(400);

    // A housing unit with a marker address: registered, read with its address, moved.
    const unit = await postGraphQL(
      region.gateway.url,
      REGISTER_UNIT,
      { input: { kind: 'TRAINING_FLAT', places: 2, district: 'Flemingsberg', streetAddress: `${MARKERS.streetAddress} 7` } },
      housingManager,
    );
    expect(unit.errors).toBeUndefined();
    const unitId = unit.data!.registerHousingUnit.id as string;
    const units = await postGraphQL(region.gateway.url, READ_UNITS, {}, housingManager);
    expect(units.errors).toBeUndefined();
    expect(units.data!.myMunicipality.housingUnits).toEqual(expect.arrayContaining([{ id: unitId, streetAddress: `${MARKERS.streetAddress} 7` }]));
    const moved = await postGraphQL(region.gateway.url, UPDATE_UNIT, { id: unitId, input: { streetAddress: `${MARKERS.newStreetAddress} 3` } }, housingManager);
    expect(moved.errors).toBeUndefined();
    const badMove = await postGraphQL(
      region.gateway.url,
      UPDATE_UNIT,
      { id: unitId, input: { streetAddress: `${MARKERS.streetAddress} ${'9'.repeat(300)}` } },
      housingManager,
    );
    expect(badMove.errors?.length).toBeGreaterThan(0);

    // The participant's register extract, printable and as JSON: every value of it in the answer, none in a log.
    for (const accept of ['text/html', 'application/json']) {
      const extract = await fetch(new URL('/access-request', region.gateway.url), {
        method: 'POST',
        headers: { ...caseworker, accept, 'content-type': 'application/json', 'x-purpose': `extract ${MARKERS.firstName}` },
        body: JSON.stringify({ participantId: id }),
      });
      expect(extract.status).toBe(200);
      expect(await extract.text()).toContain(MARKERS.newLastName);
    }

    // A client that names its operation after the case: the name is logged and traced, its digits are not.
    const nosy = await postGraphQL(region.gateway.url, READ.replace('ReadParticipant', `ReadParticipant${MARKERS.personnummer12}`), { id }, caseworker);
    expect(nosy.errors).toBeUndefined();

    await new Promise((resolve) => setImmediate(resolve));

    // The log is not empty: every service logged its operations by name…
    const records = log.records();
    const named = (component: string, operation: string) => records.some((r) => r.component === component && r.operationName?.startsWith(operation));
    expect(named('gateway', 'RegisterParticipant')).toBe(true);
    expect(named('gateway', 'UpdateHousingUnit')).toBe(true);
    expect(named('municipality-0126', 'RegisterParticipant')).toBe(true);
    expect(named('municipality-0126', 'ReadParticipant')).toBe(true);
    expect(records.filter((r) => r.msg === 'graphql request').length).toBeGreaterThanOrEqual(20);

    // …and no line, logged or printed, holds any marker, in any case.
    const everything = [...log.lines, ...printed].map((line) => line.toLowerCase());
    const leaks = Object.entries(MARKERS).flatMap(([name, marker]) =>
      everything.filter((line) => line.includes(marker.toLowerCase())).map((line) => `${name}: ${line.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
  });
});
