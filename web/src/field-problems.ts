import type { CombinedError } from 'urql';

/**
 * The API's VALIDATION_FAILED problems by field, so that a form shows each message at its own
 * field. A nested field (e.g. `input.places`) is named by its last part, as the forms name them.
 */
export function fieldProblems(error: CombinedError | undefined): Map<string, string> {
  const problems = new Map<string, string>();
  for (const e of error?.graphQLErrors ?? []) {
    if (e.extensions?.code !== 'VALIDATION_FAILED') continue;
    for (const { field, message } of (e.extensions.fields as { field: string; message: string }[] | undefined) ?? []) {
      const name = field.split('.').at(-1)!;
      if (!problems.has(name)) problems.set(name, message);
    }
  }
  return problems;
}
