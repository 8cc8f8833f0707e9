import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';
import { isUuid } from '@sodertorn/service-kit';
import { applyGiven, rejectNulls } from '../common/updates';
import { EXITED_PHASES } from './participant.enums';
import { Participant } from './participant.entity';
import type { RegisterParticipantInput, UpdateParticipantInput } from './participant.inputs';
import { birthDateOf, normalizePersonalIdentityNumber } from './personal-identity-number';

export async function findParticipant(em: EntityManager, id: string): Promise<Participant> {
  const participant = isUuid(id) ? await em.findOne(Participant, { id }) : null;
  if (!participant) throw new NotFoundError('Participant', id);
  return participant;
}

export async function registerParticipant(em: EntityManager, input: RegisterParticipantInput): Promise<Participant> {
  const personalIdentityNumber = normalizePersonalIdentityNumber(input.personalIdentityNumber)!;
  const problems: FieldProblem[] = [];
  if (birthDateOf(personalIdentityNumber) !== input.birthDate) {
    problems.push({ field: 'birthDate', message: 'does not match the date in the personnummer' });
  }
  if (input.intakeDate < input.birthDate) problems.push({ field: 'intakeDate', message: 'cannot be before the birth date' });
  if (problems.length) throw new ValidationFailedError(problems);

  const participant = new Participant({
    ...input,
    personalIdentityNumber,
    excludedMunicipalities: [...new Set(input.excludedMunicipalities)],
  });
  await persistUnique(em, participant);
  return participant;
}

export async function updateParticipant(em: EntityManager, id: string, input: UpdateParticipantInput): Promise<Participant> {
  rejectNulls(input, ['exitDate', 'exitOutcome']);
  const participant = await findParticipant(em, id);
  const next = {
    phase: input.phase ?? participant.phase,
    exitDate: input.exitDate === undefined ? participant.exitDate : input.exitDate,
    exitOutcome: input.exitOutcome === undefined ? participant.exitOutcome : input.exitOutcome,
  };
  const problems: FieldProblem[] = [];
  if (EXITED_PHASES.has(next.phase)) {
    if (!next.exitDate) problems.push({ field: 'exitDate', message: `is required when the phase is ${next.phase}` });
    if (!next.exitOutcome) problems.push({ field: 'exitOutcome', message: `is required when the phase is ${next.phase}` });
  } else {
    if (next.exitDate) problems.push({ field: 'exitDate', message: `must be left empty (null) while the phase is ${next.phase}` });
    if (next.exitOutcome) problems.push({ field: 'exitOutcome', message: `must be left empty (null) while the phase is ${next.phase}` });
  }
  if (next.exitDate && next.exitDate < participant.intakeDate) problems.push({ field: 'exitDate', message: 'cannot be before the intake date' });
  if (problems.length) throw new ValidationFailedError(problems);

  const { excludedMunicipalities, ...rest } = input;
  applyGiven(participant, { ...rest, ...next });
  if (excludedMunicipalities) participant.excludedMunicipalities = [...new Set(excludedMunicipalities)];
  await em.flush();
  return participant;
}

/** Persists, turning the unique-number violation into a field error that does not echo the number. */
async function persistUnique(em: EntityManager, participant: Participant): Promise<void> {
  try {
    await em.persistAndFlush(participant);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw ValidationFailedError.of('personalIdentityNumber', 'a participant with this personnummer is already registered in this municipality');
    }
    throw error;
  }
}
