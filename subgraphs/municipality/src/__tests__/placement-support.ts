import { postGraphQL } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { addDays } from '@sodertorn/service-kit';
import { HousingUnitKind, HousingUnitStatus } from '../housing/housing-unit.enums';
import { HousingUnit } from '../housing/housing-unit.entity';
import { ExitOutcome, Gender, ParticipantPhase, ReferralSource, RiskLevel } from '../participants/participant.enums';
import { Participant } from '../participants/participant.entity';
import { luhnCheckDigit } from '../participants/personal-identity-number';
import type { TestShard } from '../test-support';

let participantsMade = 0;

/** A participant straight into the shard's database, with a synthetic personnummer of their own. */
export async function newParticipant(shard: TestShard, phase = ParticipantPhase.ACTIVE, children = 0): Promise<Participant> {
  const birthDate = addDays('1990-01-01', participantsMade++ + Math.floor(Math.random() * 3000) * 7);
  const yyyymmdd = birthDate.replaceAll('-', '');
  const birthNumber = String(980 + Math.floor(Math.random() * 20));
  const participant = new Participant({
    firstName: `Förnamn${participantsMade}`,
    lastName: `Efternamn${participantsMade}`,
    personalIdentityNumber: `${yyyymmdd}${birthNumber}${luhnCheckDigit(`${yyyymmdd.slice(2)}${birthNumber}`)}`,
    protectedIdentity: false,
    birthDate,
    gender: Gender.MALE,
    householdAdults: 1,
    householdChildren: children,
    referralSource: ReferralSource.POLICE,
    riskLevel: RiskLevel.HIGH,
    excludedMunicipalities: ['0180'],
    intakeDate: '2026-01-15',
    responsibleCaseworker: 'caseworker-test',
  });
  participant.phase = phase;
  if (phase === ParticipantPhase.COMPLETED || phase === ParticipantPhase.DISCONTINUED) {
    participant.exitDate = '2026-10-01';
    participant.exitOutcome = phase === ParticipantPhase.COMPLETED ? ExitOutcome.COMPLETED : ExitOutcome.DISCONTINUED;
  }
  await shard.orm.em.fork().persistAndFlush(participant);
  return participant;
}

/** A unit straight into the shard's database. */
export async function newUnit(shard: TestShard, places: number, status = HousingUnitStatus.AVAILABLE): Promise<HousingUnit> {
  const unit = new HousingUnit({
    kind: HousingUnitKind.TRAINING_FLAT,
    places,
    district: 'Centrum',
    streetAddress: `Provgatan ${Math.floor(Math.random() * 10_000)}`,
    wheelchairAccessible: false,
    suitableForChildren: false,
  });
  unit.status = status;
  await shard.orm.em.fork().persistAndFlush(unit);
  return unit;
}

export const newKey = () => `test-${randomUUID()}`;

/** Runs SQL as the shard's own ORM connection (a superuser is never needed for these tests). */
export function sql<T = Record<string, any>>(shard: TestShard, query: string, params: unknown[] = []): Promise<T[]> {
  return shard.orm.em.getConnection().execute<T[]>(query, params);
}

/** A GraphQL caller bound to one shard. */
export function caller(shard: TestShard) {
  return (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => postGraphQL(shard.url, query, variables, headers);
}

/** The error codes of a response, in order. */
export const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);
