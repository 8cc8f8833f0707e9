import { useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { fieldProblems } from '../field-problems';
import { UpdateParticipantDocument, type ExitOutcome, type ParticipantCaseQuery, type ParticipantPhase, type RiskLevel } from '../gql/graphql';
import { EXIT_OUTCOMES, EXIT_PHASES, PHASES, RISK_LEVELS } from '../participants/choices';
import { municipalityCodesOf } from '../participants/personnummer';
import { TextInput, WholeNumberInput } from './FormFields';
import type { Identity } from './ParticipantIdentity';
import { SelectField } from './SelectField';
import { OtherErrors } from './UnavailableBanner';

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
          <TextInput
            name="firstName"
            label={t('participants.firstName')}
            value={draft.firstName}
            onChange={(v) => set('firstName', v)}
            error={problems.get('firstName')}
            isRequired
          />
          <TextInput
            name="lastName"
            label={t('participants.lastName')}
            value={draft.lastName}
            onChange={(v) => set('lastName', v)}
            error={problems.get('lastName')}
            isRequired
          />
        </>
      )}
      <Checkbox isSelected={draft.protectedIdentity} onChange={(v) => set('protectedIdentity', v)} className="checkbox">
        <span className="box" aria-hidden="true" />
        {t('participants.protectedIdentity')}
      </Checkbox>
      <WholeNumberInput
        name="householdAdults"
        label={t('participants.adults')}
        value={draft.householdAdults}
        onChange={(v) => set('householdAdults', v)}
        error={problems.get('householdAdults')}
      />
      <WholeNumberInput
        name="householdChildren"
        label={t('participants.children')}
        value={draft.householdChildren}
        onChange={(v) => set('householdChildren', v)}
        error={problems.get('householdChildren')}
      />
      <SelectField
        label={t('participants.phase')}
        options={PHASES.map((p) => ({ id: p, label: t(`phase.${p}`) }))}
        selected={draft.phase}
        onChange={(id) => set('phase', id as ParticipantPhase)}
        error={problems.get('phase')}
      />
      <SelectField
        label={t('participants.risk')}
        options={RISK_LEVELS.map((r) => ({ id: r, label: t(`risk.${r}`) }))}
        selected={draft.riskLevel}
        onChange={(id) => set('riskLevel', id as RiskLevel)}
        error={problems.get('riskLevel')}
      />
      <TextInput
        name="excludedMunicipalities"
        label={t('participants.excluded')}
        description={t('participants.excludedFormat')}
        value={draft.excludedMunicipalities}
        onChange={(v) => set('excludedMunicipalities', v)}
        error={problems.get('excludedMunicipalities')}
      />
      {(leaving || draft.exitDate || problems.has('exitDate')) && (
        <TextInput
          name="exitDate"
          type="date"
          label={t('participants.exitDate')}
          value={draft.exitDate}
          onChange={(v) => set('exitDate', v)}
          error={problems.get('exitDate')}
        />
      )}
      {(leaving || draft.exitOutcome || problems.has('exitOutcome')) && (
        <SelectField
          label={t('participants.exitOutcome')}
          options={EXIT_OUTCOMES.map((o) => ({ id: o, label: t(`exitOutcome.${o}`) }))}
          selected={draft.exitOutcome}
          onChange={(id) => set('exitOutcome', id as ExitOutcome)}
          error={problems.get('exitOutcome')}
        />
      )}
      <TextInput
        name="responsibleCaseworker"
        label={t('participants.caseworker')}
        value={draft.responsibleCaseworker}
        onChange={(v) => set('responsibleCaseworker', v)}
        error={problems.get('responsibleCaseworker')}
        isRequired
      />
      <div className="form-buttons">
        <Button type="submit" className="button primary" isDisabled={result.fetching}>
          {result.fetching ? t('placements.working') : t('units.save')}
        </Button>
        <Button className="button" onPress={onCancel}>
          {t('units.cancel')}
        </Button>
      </div>
      {problems.size > 0 ? (
        <p role="alert" className="field-error">
          {t('units.checkFields')}
        </p>
      ) : (
        <OtherErrors error={result.error} />
      )}
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
