import { useEffect, useRef } from 'react';
import { Button, Checkbox, CheckboxGroup, FieldError, Input, Label, NumberField, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { OtherErrors } from './UnavailableBanner';
import { SelectField } from './SelectField';

/**
 * Labelled inputs as the caseworker's forms use them: each shows its problem (the page's early
 * check or the API's VALIDATION_FAILED message) at the field, marked invalid and described by it.
 */
export function TextInput({
  label,
  value,
  onChange,
  error,
  type = 'text',
  isRequired,
  description,
  name,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  type?: 'text' | 'date';
  isRequired?: boolean;
  description?: string;
  /** The field the API names (data-field), for tests and styling. */
  name: string;
}) {
  return (
    <TextField value={value} onChange={onChange} className="field" isInvalid={!!error} isRequired={isRequired} data-field={name}>
      <Label>{label}</Label>
      {/* No autofill: the browser would keep what was typed (names, personnummer) for later forms. */}
      <Input type={type} autoComplete="off" spellCheck={false} />
      {description && (
        <Text slot="description" className="field-description">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
    </TextField>
  );
}

/** A whole number; empty is NaN, which the form refuses before sending. No bounds: the API's rule is the one rule. */
export function WholeNumberInput({
  label,
  value,
  onChange,
  error,
  name,
}: {
  label: string;
  value: number;
  onChange(value: number): void;
  error?: string;
  name: string;
}) {
  return (
    <NumberField
      value={value}
      onChange={onChange}
      className="field"
      isInvalid={!!error}
      isRequired
      data-field={name}
      formatOptions={{ maximumFractionDigits: 0 }}
    >
      <Label>{label}</Label>
      <Input />
      <FieldError className="field-error">{error}</FieldError>
    </NumberField>
  );
}

/** Several choices of a list (a group of checkboxes with one label). */
export function ChoiceGroup({
  label,
  options,
  value,
  onChange,
  error,
  name,
}: {
  label: string;
  options: { id: string; label: string }[];
  value: string[];
  onChange(value: string[]): void;
  error?: string;
  name: string;
}) {
  return (
    <CheckboxGroup value={value} onChange={onChange} className="field choice-group" isInvalid={!!error} data-field={name}>
      <Label>{label}</Label>
      {options.map((o) => (
        <Checkbox key={o.id} value={o.id} className="checkbox">
          <span className="box" aria-hidden="true" />
          {o.label}
        </Checkbox>
      ))}
      <FieldError className="field-error">{error}</FieldError>
    </CheckboxGroup>
  );
}

type Setter<D> = <K extends keyof D>(key: K, value: D[K]) => void;
/** The draft's fields that hold a value of type V. */
type KeysOf<D, V> = { [K in keyof D]: D[K] extends V ? K : never }[keyof D] & string;

/**
 * The inputs of one form bound to its draft by field name: each shows the draft's value, writes
 * it back with `set`, and shows the problem named for that field (the page's early check or the
 * API's), so a form lists its fields and nothing else.
 */
export function draftFields<D>(draft: D, set: Setter<D>, problems: ReadonlyMap<string, string>) {
  return {
    text: (
      name: KeysOf<D, string>,
      label: string,
      more: { type?: 'text' | 'date'; isRequired?: boolean; description?: string; onChange?(value: string): void } = {},
    ) => (
      <TextInput
        name={name}
        label={label}
        value={draft[name] as string}
        onChange={more.onChange ?? ((v) => set(name, v as D[typeof name]))}
        error={problems.get(name)}
        type={more.type}
        isRequired={more.isRequired}
        description={more.description}
      />
    ),
    whole: (name: KeysOf<D, number>, label: string) => (
      <WholeNumberInput name={name} label={label} value={draft[name] as number} onChange={(v) => set(name, v as D[typeof name])} error={problems.get(name)} />
    ),
    /** One of `choices`, each named by `labelOf`. */
    choice: <K extends KeysOf<D, string | null>>(
      name: K,
      label: string,
      choices: readonly NonNullable<D[K]>[],
      labelOf: (choice: NonNullable<D[K]>) => string,
    ) => (
      <SelectField
        label={label}
        options={choices.map((c) => ({ id: String(c), label: labelOf(c) }))}
        selected={(draft[name] as string | null) ?? null}
        onChange={(id) => set(name, id as D[K])}
        error={problems.get(name)}
      />
    ),
    /** Several of `choices`, each named by `labelOf`. */
    choices: <K extends KeysOf<D, readonly string[]>>(name: K, label: string, choices: readonly string[], labelOf: (choice: string) => string) => (
      <ChoiceGroup
        name={name}
        label={label}
        options={choices.map((c) => ({ id: c, label: labelOf(c) }))}
        value={draft[name] as string[]}
        onChange={(v) => set(name, v as D[K])}
        error={problems.get(name)}
      />
    ),
    check: (name: KeysOf<D, boolean>, label: string) => (
      <Checkbox isSelected={draft[name] as boolean} onChange={(v) => set(name, v as D[typeof name])} className="checkbox">
        <span className="box" aria-hidden="true" />
        {label}
      </Checkbox>
    ),
  };
}

/**
 * The end of every form: its submit button (saying it works while the API does), an optional
 * cancel, and either a prompt to look at the fields marked (a problem at a field) or the API's
 * other errors. When a submit finds problems, focus moves to the first field marked invalid, so a
 * keyboard or screen reader user lands where the correction is to be made.
 */
export function FormFooter({
  submitLabel,
  working,
  problems,
  error,
  onCancel,
}: {
  submitLabel: string;
  working: boolean;
  problems: ReadonlyMap<string, string>;
  error: CombinedError | undefined;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const buttons = useRef<HTMLDivElement>(null);
  const fieldsAtFault = [...problems.keys()].join();
  useEffect(() => {
    if (fieldsAtFault) buttons.current?.closest('form')?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fieldsAtFault]);
  return (
    <>
      <div className="form-buttons" ref={buttons}>
        <Button type="submit" className="button primary" isDisabled={working}>
          {working ? t('placements.working') : submitLabel}
        </Button>
        {onCancel && (
          <Button className="button" onPress={onCancel}>
            {t('units.cancel')}
          </Button>
        )}
      </div>
      {problems.size > 0 ? (
        <p role="alert" className="field-error">
          {t('units.checkFields')}
        </p>
      ) : (
        <OtherErrors error={error} />
      )}
    </>
  );
}
