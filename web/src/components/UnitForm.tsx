import { useRef, useState, type FormEvent } from 'react';
import { Checkbox, FieldError, Form, Input, Label, NumberField, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { fieldProblems } from '../field-problems';
import { RegisterHousingUnitDocument, UpdateHousingUnitDocument, type HousingUnitKind, type HousingUnitStatus } from '../gql/graphql';
import type { OwnUnit } from '../pages/HousingUnits';
import { SelectField } from './SelectField';
import { FormFooter } from './FormFields';

const KINDS: HousingUnitKind[] = ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'];
const STATUSES: HousingUnitStatus[] = ['AVAILABLE', 'OUT_OF_SERVICE', 'RETIRED'];

interface Draft {
  kind: HousingUnitKind;
  places: number;
  district: string;
  streetAddress: string;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
  status: HousingUnitStatus;
}

/**
 * Registers a unit (no `unit`) or changes one. The API is the validator: the form sends what was
 * typed and shows each VALIDATION_FAILED message at its field. A change sends only the fields that
 * changed; the street address is never read here (each read is audited), only replaced when typed.
 */
export function UnitForm({ unit, onSaved, onCancel }: { unit?: OwnUnit; onSaved(): void; onCancel?(): void }) {
  const { t } = useTranslation();
  const initial: Draft = {
    kind: unit?.kind ?? 'TRAINING_FLAT',
    places: unit?.places ?? 1,
    district: unit?.district ?? '',
    streetAddress: '',
    wheelchairAccessible: unit?.wheelchairAccessible ?? false,
    suitableForChildren: unit?.suitableForChildren ?? false,
    status: unit?.status ?? 'AVAILABLE',
  };
  const [draft, setDraft] = useState<Draft>(initial);
  const [registered, register] = useMutation(RegisterHousingUnitDocument);
  const [updated, update] = useMutation(UpdateHousingUnitDocument);
  const result = unit ? updated : registered;
  const problems = fieldProblems(result.error);
  // No idempotency key for units in the API: a second press while the first is under way is ignored.
  const busy = useRef(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    try {
      const answer = unit ? await update({ id: unit.id, input: changes(initial, draft) }) : await register({ input: registration(draft) });
      if (answer.data) {
        if (!unit) setDraft(initial);
        onSaved();
      }
    } finally {
      busy.current = false;
    }
  };

  return (
    // aria, not native: the API is the validator, and a field it marked must not block sending the corrected form.
    <Form
      onSubmit={submit}
      validationBehavior="aria"
      className="unit-form"
      aria-label={unit ? t('units.editOf', { unit: `${t(`kinds.${unit.kind}`)}, ${unit.district}` }) : t('units.register')}
    >
      <SelectField
        label={t('units.kind')}
        options={KINDS.map((k) => ({ id: k, label: t(`kinds.${k}`) }))}
        selected={draft.kind}
        onChange={(id) => set('kind', id as HousingUnitKind)}
        error={problems.get('kind')}
      />
      {/* No bounds here: the API's rule (1–50) is the one rule, and its message is shown at the field. */}
      <NumberField value={draft.places} onChange={(v) => set('places', v)} className="field" isInvalid={problems.has('places')} isRequired>
        <Label>{t('units.places')}</Label>
        <Input />
        <FieldError className="field-error">{problems.get('places')}</FieldError>
      </NumberField>
      <TextField value={draft.district} onChange={(v) => set('district', v)} className="field" isInvalid={problems.has('district')} isRequired>
        <Label>{t('units.district')}</Label>
        <Input />
        <FieldError className="field-error">{problems.get('district')}</FieldError>
      </TextField>
      <TextField
        value={draft.streetAddress}
        onChange={(v) => set('streetAddress', v)}
        className="field"
        isInvalid={problems.has('streetAddress')}
        isRequired={!unit}
      >
        <Label>{unit ? t('units.newStreetAddress') : t('units.streetAddress')}</Label>
        <Input autoComplete="off" />
        <FieldError className="field-error">{problems.get('streetAddress')}</FieldError>
      </TextField>
      {unit && (
        <SelectField
          label={t('units.status')}
          options={STATUSES.map((s) => ({ id: s, label: t(`unitStatus.${s}`) }))}
          selected={draft.status}
          onChange={(id) => set('status', id as HousingUnitStatus)}
          error={problems.get('status')}
        />
      )}
      <Checkbox isSelected={draft.wheelchairAccessible} onChange={(v) => set('wheelchairAccessible', v)} className="checkbox">
        <span className="box" aria-hidden="true" />
        {t('units.wheelchair')}
      </Checkbox>
      <Checkbox isSelected={draft.suitableForChildren} onChange={(v) => set('suitableForChildren', v)} className="checkbox">
        <span className="box" aria-hidden="true" />
        {t('units.children')}
      </Checkbox>
      <FormFooter
        submitLabel={unit ? t('units.save') : t('units.registerButton')}
        working={result.fetching}
        problems={problems}
        error={result.error}
        onCancel={onCancel}
      />
    </Form>
  );
}

/** A new unit: every field but the status (a new unit is AVAILABLE). */
function registration({ kind, places, district, streetAddress, wheelchairAccessible, suitableForChildren }: Draft) {
  return { kind, places, district, streetAddress, wheelchairAccessible, suitableForChildren };
}

/** The fields that differ from the unit as it was; a blank address means "keep the one it has". */
function changes(before: Draft, after: Draft) {
  const input: Partial<Draft> = {};
  for (const key of ['kind', 'places', 'district', 'wheelchairAccessible', 'suitableForChildren', 'status'] as const) {
    if (after[key] !== before[key]) (input as Record<string, unknown>)[key] = after[key];
  }
  if (after.streetAddress.trim()) input.streetAddress = after.streetAddress;
  return input;
}
