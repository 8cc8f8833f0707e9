import type { Key } from 'react-aria-components';
import { Button, FieldError, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

export interface SelectOption {
  id: string;
  label: string;
}

/** A labelled single choice from a list (react-aria-components' Select), as every form of the app uses it. */
export function SelectField({
  label,
  options,
  selected,
  onChange,
  error,
}: {
  label: string;
  options: SelectOption[];
  selected: string | null;
  onChange(id: string): void;
  /** The API's message about this field (VALIDATION_FAILED), shown at it. */
  error?: string;
}) {
  return (
    <Select selectedKey={selected} onSelectionChange={(key: Key | null) => key !== null && onChange(String(key))} className="field" isInvalid={!!error}>
      <Label>{label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox" items={options}>
          {(option) => (
            <ListBoxItem id={option.id} className="option">
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
      <FieldError className="field-error">{error}</FieldError>
    </Select>
  );
}
