import { useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { fieldProblems } from '../field-problems';
import { todayInStockholm } from '../format';
import { CreatePlacementRequestDocument, type HousingUnitKind, type SupportNeed, type Urgency } from '../gql/graphql';
import { SUPPORT_NEEDS, UNIT_KINDS, URGENCIES } from '../participants/choices';
import { ChoiceGroup, TextInput, WholeNumberInput } from './FormFields';
import { SelectField } from './SelectField';
import { OtherErrors } from './UnavailableBanner';

interface Draft {
  urgency: Urgency;
  earliestStart: string;
  expectedDurationDays: number;
  allowedKinds: HousingUnitKind[];
  needsWheelchairAccess: boolean;
  supportNeeds: SupportNeed[];
}

/**
 * Opens a placement request for the participant: the coarse needs profile the region matches on
 * (nothing in it identifies them). One idempotency key per filled-in form: a double click or a
 * retry opens one request; the next request gets a new key.
 */
export function PlacementRequestForm({ participantId, onCreated }: { participantId: string; onCreated(caseReference: string): void }) {
  const { t } = useTranslation();
  const fresh = (): Draft => ({
    urgency: 'NORMAL',
    earliestStart: todayInStockholm(),
    expectedDurationDays: 90,
    allowedKinds: [],
    needsWheelchairAccess: false,
    supportNeeds: [],
  });
  const [draft, setDraft] = useState<Draft>(fresh);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [early, setEarly] = useState<Map<string, string>>(new Map());
  const [result, create] = useMutation(CreatePlacementRequestDocument);
  const problems = early.size > 0 ? early : fieldProblems(result.error);
  const busy = useRef(false);
  const set = <K extends keyof Draft>(k: K, value: Draft[K]) => setDraft((d) => ({ ...d, [k]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = new Map<string, string>();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.earliestStart)) found.set('earliestStart', t('participants.dateRequired'));
    if (!Number.isInteger(draft.expectedDurationDays)) found.set('expectedDurationDays', t('participants.wholeNumber'));
    setEarly(found);
    if (found.size > 0 || busy.current) return;
    busy.current = true;
    try {
      const answer = await create({ participantId, idempotencyKey: key, input: draft });
      if (answer.data) {
        setDraft(fresh());
        setKey(crypto.randomUUID());
        onCreated(answer.data.createPlacementRequest.caseReference);
      }
    } finally {
      busy.current = false;
    }
  };

  return (
    <Form onSubmit={submit} validationBehavior="aria" className="participant-form" aria-label={t('caseRequests.newTitle')}>
      <SelectField
        label={t('caseRequests.urgency')}
        options={URGENCIES.map((u) => ({ id: u, label: t(`urgency.${u}`) }))}
        selected={draft.urgency}
        onChange={(id) => set('urgency', id as Urgency)}
        error={problems.get('urgency')}
      />
      <TextInput
        name="earliestStart"
        type="date"
        label={t('caseRequests.earliestStart')}
        value={draft.earliestStart}
        onChange={(v) => set('earliestStart', v)}
        error={problems.get('earliestStart')}
        isRequired
      />
      <WholeNumberInput
        name="expectedDurationDays"
        label={t('caseRequests.durationDays')}
        value={draft.expectedDurationDays}
        onChange={(v) => set('expectedDurationDays', v)}
        error={problems.get('expectedDurationDays')}
      />
      <ChoiceGroup
        name="allowedKinds"
        label={t('caseRequests.allowedKinds')}
        options={UNIT_KINDS.map((k) => ({ id: k, label: t(`kinds.${k}`) }))}
        value={draft.allowedKinds}
        onChange={(v) => set('allowedKinds', v as HousingUnitKind[])}
        error={problems.get('allowedKinds')}
      />
      <ChoiceGroup
        name="supportNeeds"
        label={t('caseRequests.supportNeeds')}
        options={SUPPORT_NEEDS.map((n) => ({ id: n, label: t(`supportNeed.${n}`) }))}
        value={draft.supportNeeds}
        onChange={(v) => set('supportNeeds', v as SupportNeed[])}
        error={problems.get('supportNeeds')}
      />
      <Checkbox isSelected={draft.needsWheelchairAccess} onChange={(v) => set('needsWheelchairAccess', v)} className="checkbox">
        <span className="box" aria-hidden="true" />
        {t('caseRequests.wheelchair')}
      </Checkbox>
      <div className="form-buttons">
        <Button type="submit" className="button primary" isDisabled={result.fetching}>
          {result.fetching ? t('placements.working') : t('caseRequests.create')}
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
