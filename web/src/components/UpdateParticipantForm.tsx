import { useRef, useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { fieldProblems } from '../field-problems';
import { UpdateParticipantDocument, type ExitOutcome, type ParticipantCaseQuery, type ParticipantPhase, type RiskLevel } from '../gql/graphql';
import { EXIT_OUTCOMES, EXIT_PHASES, PHASES, RISK_LEVELS } from '../participants/choices';
import { municipalityCodesOf } from '../participants/personnummer';
import { draftFields, FormFooter } from './FormFields';
import type { Identity } from './ParticipantIdentity';

type Case = ParticipantCaseQuery['participant'];

interface Draft {
  firstName: string;
  lastName: string;
  protectedIdentity: boolean;
  householdAdults: number;
  householdChildren: number;
  phase: ParticipantPhase;
  riskLevel: RiskLevel;
  excludedMunicipalities: string;
  exitDate: string;
  exitOutcome: ExitOutcome | null;
  responsibleCaseworker: string;
}

/**
 * Changes a participant: only the fields that changed are sent. Names can be changed only while
 * they are shown (a protected identity revealed first). Household sizes and dates are checked
 * early for being numbers and dates; the API checks the rest (e.g. an exit date before the
 * intake) and its message is shown at the field.
 */
export function UpdateParticipantForm({
  participant,
  identity,
  onSaved,
  onCancel,
}: {
  participant: Case;
  identity: Identity | null;
  onSaved(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const initial: Draft = {
    firstName: identity?.firstName ?? '',
    lastName: identity?.lastName ?? '',
    protectedIdentity: participant.protectedIdentity,
    householdAdults: participant.householdAdults,
    householdChildren: participant.householdChildren,
    phase: participant.phase,
    riskLevel: participant.riskLevel,
    excludedMunicipalities: participant.excludedMunicipalities.join(', '),
    exitDate: participant.exitDate ?? '',
    exitOutcome: participant.exitOutcome ?? null,
    responsibleCaseworker: participant.responsibleCaseworker,
  };
  const [draft, setDraft] = useState<Draft>(initial);
  const [early, setEarly] = useState<Map<string, string>>(new Map());
  const [result, update] = useMutation(UpdateParticipantDocument);
  const problems = early.size > 0 ? early : fieldProblems(result.error);
  const busy = useRef(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const field = draftFields(draft, set, problems);
  const leaving = EXIT_PHASES.includes(draft.phase);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = new Map<string, string>();
    for (const key of ['householdAdults', 'householdChildren'] as const) if (!Number.isInteger(draft[key])) found.set(key, t('participants.wholeNumber'));
    if (draft.exitDate && !/^\d{4}-\d{2}-\d{2}$/.test(draft.exitDate)) found.set('exitDate', t('participants.dateRequired'));
    setEarly(found);
    if (found.size > 0 || busy.current) return;
    busy.current = true;
    try {
      const answer = await update({ id: participant.id, input: changes(initial, draft, !!identity) });
      if (answer.data) onSaved();
    } finally {
      busy.current = false;
    }
  };

  return (
    <Form onSubmit={submit} validationBehavior="aria" className="participant-form" aria-label={t('participants.editTitle')}>
      {identity && (
        <>
          {field.text('firstName', t('participants.firstName'), { isRequired: true })}
          {field.text('lastName', t('participants.lastName'), { isRequired: true })}
        </>
      )}
      {field.check('protectedIdentity', t('participants.protectedIdentity'))}
      {field.whole('householdAdults', t('participants.adults'))}
      {field.whole('householdChildren', t('participants.children'))}
      {field.choice('phase', t('participants.phase'), PHASES, (p) => t(`phase.${p}`))}
      {field.choice('riskLevel', t('participants.risk'), RISK_LEVELS, (r) => t(`risk.${r}`))}
      {field.text('excludedMunicipalities', t('participants.excluded'), { description: t('participants.excludedFormat') })}
      {(leaving || draft.exitDate || problems.has('exitDate')) && field.text('exitDate', t('participants.exitDate'), { type: 'date' })}
      {(leaving || draft.exitOutcome || problems.has('exitOutcome')) &&
        field.choice('exitOutcome', t('participants.exitOutcome'), EXIT_OUTCOMES, (o) => t(`exitOutcome.${o}`))}
      {field.text('responsibleCaseworker', t('participants.caseworker'), { isRequired: true })}
      <FormFooter submitLabel={t('units.save')} working={result.fetching} problems={problems} error={result.error} onCancel={onCancel} />
    </Form>
  );
}

/** The fields that differ from the participant as they were; an emptied exit date or outcome is sent as null (cleared). */
function changes(before: Draft, after: Draft, namesShown: boolean) {
  const input: Record<string, unknown> = {};
  const keys = ['protectedIdentity', 'householdAdults', 'householdChildren', 'phase', 'riskLevel', 'responsibleCaseworker', 'exitOutcome'] as const;
  for (const key of keys) if (after[key] !== before[key]) input[key] = after[key];
  if (namesShown) for (const key of ['firstName', 'lastName'] as const) if (after[key] !== before[key]) input[key] = after[key];
  if (after.exitDate !== before.exitDate) input.exitDate = after.exitDate || null;
  const excluded = municipalityCodesOf(after.excludedMunicipalities);
  if (excluded.join(',') !== municipalityCodesOf(before.excludedMunicipalities).join(',')) input.excludedMunicipalities = excluded;
  return input;
}
