import { postGraphQL } from '@sodertorn/testing';
import { loadDocumentedOperations } from './support/operations';
import { startTestRegion, type TestRegion } from './support/test-region';

const operations = loadDocumentedOperations();

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

  it.each(operations.map((o) => [o.file, o] as const))('%s answers without errors', async (_file, operation) => {
    const result = await postGraphQL(region.gateway.url, operation.query, operation.variables);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    const rootValues = Object.values(result.data!);
    expect(rootValues.every((value) => value !== null)).toBe(true);
  });
});
