import { MUNICIPAL_ROLES, Role } from '@sodertorn/auth';
import { bearer, postGraphQL } from '@sodertorn/testing';
import { randomUUID } from 'node:crypto';
import { fillPlaceholders, loadDocumentedOperations, type DocumentedOperation } from './support/operations';
import { freshUnit, openRequest } from './support/placement-fixtures';
import { startTestRegion, type TestRegion } from './support/test-region';

const operations = loadDocumentedOperations();

/** The header's role, as a token: of the header's municipality, or Huddinge (0126) for municipal roles that name none. */
function headersFor(operation: DocumentedOperation): Promise<Record<string, string>> {
  const role = operation.role;
  if (!Object.values<string>(Role).includes(role)) throw new Error(`unknown role "${role}" in a # Role: header`);
  return bearer(role as Role, operation.municipality ?? (MUNICIPAL_ROLES.has(role as Role) ? '0126' : undefined));
}

describe('docs/operations: every documented operation runs against the demo region', () => {
  let region: TestRegion;
  const live = new Map<string, string>();

  /** Live values for the placeholders the placement examples use. */
  async function placeholder(name: string): Promise<string> {
    if (name === 'newKey') return randomUUID();
    if (!live.has(name)) {
      const url = region.gateway.url;
      if (name === 'participantWithoutRequest') live.set(name, (await openRequest(url, '0126', { skipRequest: true })).participantId);
      else if (name === 'openRequest') live.set(name, (await openRequest(url, '0126')).requestId);
      else if (name === 'freeUnitIn0138') live.set(name, await freshUnit(url, '0138', 2));
      else if (name === 'requestToCancel') live.set(name, (await openRequest(url, '0126')).requestId);
      else if (name === 'anotherOfferedPlacement' || name === 'offeredPlacementToCancel') {
        // Each name its own placement: decline and cancel each end one.
        const request = await openRequest(url, '0126');
        const unit = await freshUnit(url, '0138', 1);
        const offered = await postGraphQL(
          url,
          `mutation($input: OfferPlacementInput!) { offerPlacement(input: $input, idempotencyKey: "${randomUUID()}") { id } }`,
          { input: { requestMunicipality: '0126', requestId: request.requestId, unitMunicipality: '0138', unitId: unit } },
          await bearer(Role.COORDINATOR),
        );
        live.set(name, offered.data!.offerPlacement.id);
      } else throw new Error(`no live value for the placeholder {{${name}}}`);
    }
    return live.get(name)!;
  }

  beforeAll(async () => {
    region = await startTestRegion({ seed: true });
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('documents at least the capacity, participant, housing and placement operations', () => {
    expect(operations.map((o) => o.file)).toEqual(
      expect.arrayContaining([
        'region-capacity.graphql',
        'participants.graphql',
        'register-participant.graphql',
        'municipality-housing.graphql',
        'placement-2-offer.graphql',
      ]),
    );
  });

  it.each(operations.map((o) => [o.file, o] as const))('%s answers without errors for its documented role', async (_file, operation) => {
    const variables = (await fillPlaceholders(operation.variables, placeholder)) as Record<string, unknown>;
    const result = await postGraphQL(region.gateway.url, operation.query, variables, await headersFor(operation));
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    const rootValues = Object.values(result.data!);
    expect(rootValues.every((value) => value !== null)).toBe(true);
    if (result.data!.offerPlacement) live.set('offeredPlacement', (result.data!.offerPlacement as { id: string }).id);
  });
});
