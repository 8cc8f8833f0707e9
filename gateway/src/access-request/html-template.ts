import escapeHtml from 'escape-html';

/** Markup built by `html`: inserted into another `html` template as it is, never escaped twice. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const part = (value: unknown): string => {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
};

/**
 * A tagged template that escapes every value put into it (with escape-html, Express's own
 * escaper) unless it is markup this tag made: a page built only from `html` templates cannot
 * turn a value into markup, whatever text a reader typed as their purpose. Arrays are joined;
 * null, undefined and false leave nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, text, i) => out + text + (i < values.length ? part(values[i]) : ''), ''));
}
