import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { Participant } from '../participants/participant.entity';
import { luhnCheckDigit } from '../participants/personal-identity-number';
import { startTestShard, type TestShard } from '../test-support';

const REGISTER = /* GraphQL */ `
  mutation Register($code: ID!, $input: RegisterParticipantInput!) {
    registerParticipant(municipalityCode: $code, input: $input) {
      id
      personalIdentityNumber
      phase
      excludedMunicipalities
    }
  }
`;

const validInput = {
  firstName: 'Test',
  lastName: 'Testsson',
  personalIdentityNumber: '19900101-9800',
  birthDate: '1990-01-01',
  gender: 'MALE',
  referralSource: 'POLICE',
  riskLevel: 'HIGH',
  excludedMunicipalities: ['0180', '0180'],
  intakeDate: '2026-11-01',
  responsibleCaseworker: 'caseworker-0126-1',
};

describe('Municipal subgraph: participants', () => {
  let shard: TestShard;
  /** Participants are the own municipality's caseworkers' business. */
  let caseworker: Record<string, string>;

  beforeAll(async () => {
    shard = await startTestShard('0126');
    caseworker = await bearer(Role.CASEWORKER, '0126');
  });
  afterAll(async () => {
    await shard.destroy();
  });

  it('registers a participant, normalising the personnummer and de-duplicating threat areas', async () => {
    const pnr = `19900101980${luhnCheckDigit('900101980')}`;
    const result = await postGraphQL(
      shard.url,
      REGISTER,
      { code: '0126', input: { ...validInput, personalIdentityNumber: `${pnr.slice(0, 8)}-${pnr.slice(8)}` } },
      caseworker,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.registerParticipant).toMatchObject({ personalIdentityNumber: pnr, phase: 'INTAKE', excludedMunicipalities: ['0180'] });
  });

  it('rejects invalid input naming every field, and writes nothing', async () => {
    const before = await shard.orm.em.fork().count(Participant);
    const result = await postGraphQL(
      shard.url,
      REGISTER,
      {
        code: '0126',
        input: { ...validInput, firstName: '', personalIdentityNumber: '19900101-9801', householdChildren: -1, excludedMunicipalities: ['12'] },
      },
      caseworker,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    const fields = (result.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['excludedMunicipalities', 'firstName', 'householdChildren', 'personalIdentityNumber']);
    expect(await shard.orm.em.fork().count(Participant)).toBe(before);
  });

  it('refuses a second participant with the same personnummer without echoing the number', async () => {
    const pnr = `19850505981${luhnCheckDigit('850505981')}`;
    const input = { ...validInput, personalIdentityNumber: pnr, birthDate: '1985-05-05' };
    expect((await postGraphQL(shard.url, REGISTER, { code: '0126', input }, caseworker)).errors).toBeUndefined();
    const again = await postGraphQL(shard.url, REGISTER, { code: '0126', input }, caseworker);
    expect(again.errors![0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'personalIdentityNumber' }] } });
    expect(JSON.stringify(again)).not.toContain(pnr);
  });

  it('requires exit date and outcome together with an exit phase', async () => {
    const { data } = await postGraphQL(shard.url, `query($code: ID!) { participants(municipalityCode: $code) { id } }`, { code: '0126' }, caseworker);
    const id = data!.participants[0].id;
    const UPDATE = `mutation($code: ID!, $id: ID!, $input: UpdateParticipantInput!) { updateParticipant(municipalityCode: $code, id: $id, input: $input) { phase exitDate exitOutcome } }`;
    const missing = await postGraphQL(shard.url, UPDATE, { code: '0126', id, input: { phase: 'COMPLETED' } }, caseworker);
    expect((missing.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual(['exitDate', 'exitOutcome']);
    const done = await postGraphQL(
      shard.url,
      UPDATE,
      { code: '0126', id, input: { phase: 'COMPLETED', exitDate: '2026-11-20', exitOutcome: 'COMPLETED' } },
      caseworker,
    );
    expect(done.data?.updateParticipant).toEqual({ phase: 'COMPLETED', exitDate: '2026-11-20', exitOutcome: 'COMPLETED' });
    const nulled = await postGraphQL(shard.url, UPDATE, { code: '0126', id, input: { firstName: null } }, caseworker);
    expect(nulled.errors![0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED', fields: [{ field: 'firstName' }] } });
  });

  it('keeps the phase history: registered in INTAKE, each change after it in order, an update leaving the phase as it was adds nothing', async () => {
    const pnr = `19890909983${luhnCheckDigit('890909983')}`;
    const registered = await postGraphQL(
      shard.url,
      REGISTER,
      { code: '0126', input: { ...validInput, personalIdentityNumber: pnr, birthDate: '1989-09-09' } },
      caseworker,
    );
    const id = registered.data!.registerParticipant.id as string;
    const UPDATE = `mutation($code: ID!, $id: ID!, $input: UpdateParticipantInput!) { updateParticipant(municipalityCode: $code, id: $id, input: $input) { phase } }`;
    for (const input of [
      { phase: 'ASSESSMENT' },
      { householdChildren: 1 },
      { phase: 'ACTIVE' },
      { phase: 'DISCONTINUED', exitDate: '2026-11-25', exitOutcome: 'RELAPSE' },
    ]) {
      expect((await postGraphQL(shard.url, UPDATE, { code: '0126', id, input }, caseworker)).errors).toBeUndefined();
    }
    const read = await postGraphQL<{ participant: { phaseHistory: { phase: string; changedAt: string }[] } }>(
      shard.url,
      `query($code: ID!, $id: ID!) { participant(municipalityCode: $code, id: $id) { phaseHistory { phase changedAt } } }`,
      { code: '0126', id },
      caseworker,
    );
    expect(read.errors).toBeUndefined();
    const history = read.data!.participant.phaseHistory;
    expect(history.map((h) => h.phase)).toEqual(['INTAKE', 'ASSESSMENT', 'ACTIVE', 'DISCONTINUED']);
    const times = history.map((h) => Date.parse(h.changedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // A phase set outside the caseworker's update (the move-in's PLACED, a restore, by hand) is recorded the same way: the database keeps it.
    await shard.orm.em.fork().getConnection().execute(`update participant set phase = 'ACTIVE', exit_date = null, exit_outcome = null where id = ?`, [id]);
    const again = await postGraphQL<{ participant: { phaseHistory: { phase: string }[] } }>(
      shard.url,
      `query($code: ID!, $id: ID!) { participant(municipalityCode: $code, id: $id) { phaseHistory { phase } } }`,
      { code: '0126', id },
      caseworker,
    );
    expect(again.data!.participant.phaseHistory.map((h) => h.phase)).toEqual(['INTAKE', 'ASSESSMENT', 'ACTIVE', 'DISCONTINUED', 'ACTIVE']);
  });

  it('lists only the participants with, or only those without, a protected identity when asked', async () => {
    const protectedPnr = `19870303982${luhnCheckDigit('870303982')}`;
    const input = { ...validInput, personalIdentityNumber: protectedPnr, birthDate: '1987-03-03', protectedIdentity: true };
    expect((await postGraphQL(shard.url, REGISTER, { code: '0126', input }, caseworker)).errors).toBeUndefined();
    const LIST = `query($p: Boolean) { participants(protectedIdentity: $p) { id protectedIdentity } }`;
    const all = (await postGraphQL(shard.url, LIST, {}, caseworker)).data!.participants as { id: string; protectedIdentity: boolean }[];
    const onlyProtected = (await postGraphQL(shard.url, LIST, { p: true }, caseworker)).data!.participants;
    const others = (await postGraphQL(shard.url, LIST, { p: false }, caseworker)).data!.participants;
    // Expected from the database, not from the filter under test.
    const inDb = await shard.orm.em.fork().find(Participant, {}, { orderBy: { intakeDate: 'desc', id: 'asc' } });
    expect(inDb.some((p) => p.protectedIdentity) && inDb.some((p) => !p.protectedIdentity)).toBe(true);
    expect(all.map((p) => p.id)).toEqual(inDb.map((p) => p.id));
    expect(onlyProtected).toEqual(inDb.filter((p) => p.protectedIdentity).map((p) => ({ id: p.id, protectedIdentity: true })));
    expect(others).toEqual(inDb.filter((p) => !p.protectedIdentity).map((p) => ({ id: p.id, protectedIdentity: false })));
  });

  it('answers only for its own municipality', async () => {
    const result = await postGraphQL(shard.url, `query { participants(municipalityCode: "0127") { id firstName } }`, {}, caseworker);
    expect(result.data).toBeNull();
    expect(result.errors![0]).toMatchObject({ extensions: { code: 'WRONG_MUNICIPALITY', municipalityCode: '0127' } });
  });
});
