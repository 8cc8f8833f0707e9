import { Role } from '@sodertorn/auth';
import { postGraphQL } from '@sodertorn/testing';
import { tableAllowsChain, type Caller } from './support/access-rules';
import { apiSchema, PATHS, reachableFields, selectField } from './support/api-schema';
import { startTestRegion, type TestRegion } from './support/test-region';

const OWN = '0126';
const OTHER = '0127';

/** Every role, as staff of the municipality asked about and of another one; regional roles have no municipality. */
const CALLERS: Caller[] = [
  ...[Role.CASEWORKER, Role.HOUSING_MANAGER, Role.AUDITOR, Role.DATA_PROTECTION_OFFICER].flatMap((role) => [
    { label: `${role} of ${OWN} asking ${OWN}`, roles: [role], municipality: OWN, target: OWN },
    { label: `${role} of ${OTHER} asking ${OWN}`, roles: [role], municipality: OTHER, target: OWN },
  ]),
  ...[Role.COORDINATOR, Role.ANALYST, Role.SERVICE].map((role) => ({ label: `${role} asking ${OWN}`, roles: [role], target: OWN })),
];

const schema = apiSchema();
/** The expected answer of each case comes from the README's role table, never from the access policies under test. */
const CASES = reachableFields(schema).flatMap(({ type, field }) =>
  CALLERS.map((caller) => {
    const { query, chain } = PATHS[type.name]!(caller.target, selectField(field));
    return {
      name: `${type.name}.${field.name} as ${caller.label}`,
      caller,
      query,
      field: field.name,
      allowed: tableAllowsChain(caller, [...chain, [type.name, field.name]]),
    };
  }),
);

describe('Authorization matrix: every field × every role × own or other municipality, through the gateway', () => {
  let region: TestRegion;
  const tokens = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    region = await startTestRegion({ seed: true, identityProviders: true });
    for (const caller of CALLERS) tokens.set(caller.label, await region.bearer(caller.roles, caller.municipality));
    // Something in the audit log to read, and a placement request to see.
    await postGraphQL(region.gateway.url, `{ participants { id } }`, {}, await region.bearer(Role.CASEWORKER, OWN));
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('covers every field clients can reach', () => {
    const covered = new Set(CASES.map((c) => c.name.split(' as ')[0]));
    for (const typeName of Object.keys(PATHS)) {
      for (const field of Object.keys((schema.getType(typeName) as { getFields(): object }).getFields())) {
        expect(covered).toContain(`${typeName}.${field}`);
      }
    }
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const result = await postGraphQL(region.gateway.url, testCase.query, {}, tokens.get(testCase.caller.label));
    const forbidden = (result.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
    if (testCase.allowed) {
      expect(forbidden).toEqual([]);
      // Not vacuous: the field was actually resolved somewhere in the answer.
      expect(JSON.stringify(result.data)).toContain(`"${testCase.field}":`);
    } else {
      expect(forbidden.length).toBeGreaterThan(0);
    }
  });
});
