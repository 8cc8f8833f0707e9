import { Checkbox, CheckboxGroup, FieldError, Input, Label, NumberField, Text, TextField } from 'react-aria-components';

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
