import { MUNICIPAL_ROLES, Role } from '@sodertorn/auth';
import { bearer, postGraphQL } from '@sodertorn/testing';
import { loadDocumentedOperations } from './support/operations';
import { startTestRegion, type TestRegion } from './support/test-region';

const operations = loadDocumentedOperations();

/** The header's role, as a token: municipal roles are Huddinge (0126) staff, as in the examples' variables. */
function headersFor(role: string): Promise<Record<string, string>> {
  if (!Object.values<string>(Role).includes(role)) throw new Error(`unknown role "${role}" in a # Role: header`);
  return bearer(role as Role, MUNICIPAL_ROLES.has(role as Role) ? '0126' : undefined);
}

describe('docs/operations: every documented operation runs against the demo region', () => {
  let region: TestRegion;

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('documents at least the capacity, participant and housing operations', () => {
    expect(operations.map((o) => o.file)).toEqual(
      expect.arrayContaining(['region-capacity.graphql', 'participants.graphql', 'register-participant.graphql', 'municipality-housing.graphql']),
    );
  });

  it.each(operations.map((o) => [o.file, o] as const))('%s answers without errors for its documented role', async (_file, operation) => {
    const result = await postGraphQL(region.gateway.url, operation.query, operation.variables, await headersFor(operation.role));
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    const rootValues = Object.values(result.data!);
    expect(rootValues.every((value) => value !== null)).toBe(true);
  });
});
