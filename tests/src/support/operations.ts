import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const OPERATIONS_DIR = resolve(__dirname, '../../../docs/operations');

export interface DocumentedOperation {
  file: string;
  role: string;
  /** The caller's municipality (`# Municipality:`), if the example names one. */
  municipality?: string;
  variables: Record<string, unknown>;
  query: string;
}

/** Reads docs/operations/*.graphql with their `# Role:` and `# Variables:` header lines. */
export function loadDocumentedOperations(): DocumentedOperation[] {
  return readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(join(OPERATIONS_DIR, file), 'utf8');
      const role = /^# Role: (\w+)/m.exec(query)?.[1];
      const variables = /^# Variables: (.+)$/m.exec(query)?.[1];
      if (!role || !variables) throw new Error(`${file} must start with "# Role: …" and "# Variables: {…}" header lines`);
      const municipality = /^# Municipality: (\d{4})/m.exec(query)?.[1];
      return { file, role, municipality, variables: JSON.parse(variables) as Record<string, unknown>, query };
    });
}

/**
 * Replaces `"{{name}}"` placeholders in documented variables (ids that only exist
 * once the region runs, such as a placement just offered) with live values.
 */
export async function fillPlaceholders(value: unknown, resolve: (name: string) => Promise<string>): Promise<unknown> {
  if (typeof value === 'string') {
    const match = /^\{\{(\w+)\}\}$/.exec(value);
    return match ? resolve(match[1]!) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => fillPlaceholders(v, resolve)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await fillPlaceholders(v, resolve)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
