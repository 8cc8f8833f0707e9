import { MunicipalityUnavailableError, StepInProgressError } from '@sodertorn/service-kit';
import type { PendingStep } from './placement.entity';
import type { ShardUnavailable } from '@sodertorn/shard-client';

/** What a step does, in the words of a sentence ("the accept …"). */
const STEP_NAMES: Readonly<Record<string, string>> = {
  ACCEPTED: 'accept',
  DECLINED: 'decline',
  ACTIVE: 'move-in',
  ENDED: 'end',
  CANCELLED: 'cancellation',
};

/**
 * A step whose shard did not answer: it may have been made there (a frozen shard makes it when
 * it resumes), so it is neither undone nor reported as failed. It stays pending on the placement
 * and is finished by the reconciler, or at once by a retry with the same idempotency key.
 */
export function stepLeftPending(placementId: string, pending: PendingStep, cause: ShardUnavailable): MunicipalityUnavailableError {
  const step = STEP_NAMES[pending.to] ?? pending.to;
  return new MunicipalityUnavailableError(cause.municipalityCode, cause.reason, {
    consequence:
      `The ${step} of placement ${placementId} is recorded and may already be made there; ` +
      'it is finished automatically when the municipality answers again (or now, by retrying with the same idempotencyKey). Do not repeat it with a new key.',
    details: { placementId, pendingStep: pending.to },
  });
}

/** Another step of the placement is still being finished; one step at a time. */
export function stepInProgress(placementId: string, pending: PendingStep): StepInProgressError {
  const step = STEP_NAMES[pending.to] ?? pending.to;
  return new StepInProgressError(
    `Placement ${placementId} has a ${step} in progress since ${pending.since}; it is finished automatically (or by retrying it with its own key). Try this step again after it. Nothing was changed.`,
    { placementId, pendingStep: pending.to },
  );
}
