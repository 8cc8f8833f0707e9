import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const OPERATIONS_DIR = resolve(__dirname, '../../../docs/operations');

export interface DocumentedOperation {
  file: string;
  role: string;
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
      return { file, role, variables: JSON.parse(variables) as Record<string, unknown>, query };
    });
}
