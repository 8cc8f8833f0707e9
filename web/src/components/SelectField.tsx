import type { Key } from 'react-aria-components';
import { Button, FieldError, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

export interface SelectOption {
  id: string;
  label: string;
}

/**
 * A labelled single choice from a list (react-aria-components' Select), as every form of the app uses it.
 * Disabled while its options have not arrived: an empty list opened on a slow connection shows
 * nothing and stays empty-looking after the options come (CI saw the statistics page so).
 */
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
  const { t } = useTranslation();
  return (
    <Select
      placeholder={t('app.choose')}
      selectedKey={selected}
      onSelectionChange={(key: Key | null) => key !== null && onChange(String(key))}
      className="field"
      isInvalid={!!error}
      isDisabled={options.length === 0}
    >
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
