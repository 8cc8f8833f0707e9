import { useRef, useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { fieldProblems } from '../field-problems';
import { todayInStockholm } from '../format';
import { CreatePlacementRequestDocument, type HousingUnitKind, type SupportNeed, type Urgency } from '../gql/graphql';
import { SUPPORT_NEEDS, UNIT_KINDS, URGENCIES } from '../participants/choices';
import { draftFields, FormFooter } from './FormFields';

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
  const field = draftFields(draft, set, problems);

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
      {field.choice('urgency', t('caseRequests.urgency'), URGENCIES, (u) => t(`urgency.${u}`))}
      {field.text('earliestStart', t('caseRequests.earliestStart'), { type: 'date', isRequired: true })}
      {field.whole('expectedDurationDays', t('caseRequests.durationDays'))}
      {field.choices('allowedKinds', t('caseRequests.allowedKinds'), UNIT_KINDS, (k) => t(`kinds.${k}`))}
      {field.choices('supportNeeds', t('caseRequests.supportNeeds'), SUPPORT_NEEDS, (n) => t(`supportNeed.${n}`))}
      {field.check('needsWheelchairAccess', t('caseRequests.wheelchair'))}
      <FormFooter submitLabel={t('caseRequests.create')} working={result.fetching} problems={problems} error={result.error} />
    </Form>
  );
}
