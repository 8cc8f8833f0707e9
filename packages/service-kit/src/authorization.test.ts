import { Role, type Identity } from '@sodertorn/auth';
import { graphql, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { anywhere, authorize, enforcePolicy, fieldsWithoutRule, isAllowed, onlyIf, own, type AuthorizationContext, type Policy } from './authorization';

interface Unit {
  id: string;
  address: string;
  /** The municipality whose caseworkers the condition lets in. */
  receiving: string | null;
}

const UNITS: Unit[] = [
  { id: 'u1', address: 'Storgatan 1', receiving: '0126' },
  { id: 'u2', address: 'Lillgatan 2', receiving: null },
];

const Unit = new GraphQLObjectType<Unit>({
  name: 'Unit',
  fields: { id: { type: new GraphQLNonNull(GraphQLString) }, address: { type: GraphQLString } },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { units: { type: new GraphQLList(Unit), resolve: () => UNITS } } }),
});

function identity(role: Role, municipality?: string): Identity {
  return { sub: `test-${role}`, roles: [role], municipality, token: 'not-needed-here' };
}

/** Deployment of 0138 (the unit's owner); a caseworker of 0126 is from elsewhere. */
const context = (who: Identity | undefined): AuthorizationContext => ({ identity: who, municipalityCode: '0138' });

describe('Conditional grants', () => {
  let evaluated: { unitId: string; municipality: string | undefined }[];
  const receivingCaseworker = async (source: unknown, ctx: AuthorizationContext) => {
    const unit = source as Unit;
    evaluated.push({ unitId: unit.id, municipality: ctx.identity?.municipality });
    await new Promise((resolve) => setImmediate(resolve));
    return unit.receiving !== null && unit.receiving === ctx.identity?.municipality;
  };
  const policy: Policy = {
    Query: { units: anywhere(Role.CASEWORKER, Role.HOUSING_MANAGER, Role.COORDINATOR) },
    Unit: {
      id: anywhere(Role.CASEWORKER, Role.HOUSING_MANAGER, Role.COORDINATOR),
      address: [...own(Role.HOUSING_MANAGER), ...onlyIf('of the receiving municipality', receivingCaseworker, anywhere(Role.CASEWORKER))],
    },
  };
  const secured = enforcePolicy(schema, policy);
  const read = (who: Identity | undefined) => graphql({ schema: secured, source: '{ units { id address } }', contextValue: context(who) });

  beforeEach(() => {
    evaluated = [];
  });

  it('allows a conditional grant only on the objects its condition holds for', async () => {
    const result = await read(identity(Role.CASEWORKER, '0126'));
    expect(result.data).toEqual({
      units: [
        { id: 'u1', address: 'Storgatan 1' },
        { id: 'u2', address: null },
      ],
    });
    expect(result.errors?.map((e) => [e.path, e.extensions.code])).toEqual([[['units', 1, 'address'], 'FORBIDDEN']]);
    expect(result.errors![0]!.message).toContain('caseworker of the receiving municipality');
    expect(result.errors![0]!.message).not.toContain('Lillgatan');
  });

  it('passes the object and the context to the condition, once per object', async () => {
    await read(identity(Role.CASEWORKER, '0126'));
    expect(evaluated).toEqual([
      { unitId: 'u1', municipality: '0126' },
      { unitId: 'u2', municipality: '0126' },
    ]);
  });

  it('refuses where the condition fails for every object', async () => {
    const result = await read(identity(Role.CASEWORKER, '0127'));
    expect(result.data).toEqual({
      units: [
        { id: 'u1', address: null },
        { id: 'u2', address: null },
      ],
    });
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('does not evaluate the condition for a role it is not granted to', async () => {
    const result = await read(identity(Role.COORDINATOR));
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(evaluated).toEqual([]);
  });

  it('does not evaluate the condition when an unconditional grant already allows', async () => {
    const result = await read(identity(Role.HOUSING_MANAGER, '0138'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      units: [
        { id: 'u1', address: 'Storgatan 1' },
        { id: 'u2', address: 'Lillgatan 2' },
      ],
    });
    expect(evaluated).toEqual([]);
  });

  it('does not evaluate a condition whose grant is own-scoped for a caller from elsewhere', async () => {
    const ownOnly: Policy = { ...policy, Unit: { ...policy.Unit, address: onlyIf('when receiving', receivingCaseworker, own(Role.CASEWORKER)) } };
    const result = await graphql({
      schema: enforcePolicy(schema, ownOnly),
      source: '{ units { address } }',
      contextValue: context(identity(Role.CASEWORKER, '0126')),
    });
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(evaluated).toEqual([]);
  });

  it('refuses anonymous callers without evaluating anything', async () => {
    const result = await read(undefined);
    expect(result.data).toEqual({ units: null });
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(evaluated).toEqual([]);
  });

  it('refuses (with an error, never the value) when the condition throws', async () => {
    const failing: Policy = {
      ...policy,
      Unit: {
        ...policy.Unit,
        address: onlyIf('when receiving', () => Promise.reject(new Error('database down')), anywhere(Role.CASEWORKER)),
      },
    };
    const result = await graphql({
      schema: enforcePolicy(schema, failing),
      source: '{ units { address } }',
      contextValue: context(identity(Role.CASEWORKER, '0126')),
    });
    expect(result.data).toEqual({ units: [{ address: null }, { address: null }] });
    expect(result.errors).toHaveLength(2);
    expect(JSON.stringify(result)).not.toContain('gatan');
  });

  it('only accepts a condition that returns true itself, not something truthy', async () => {
    const truthy = onlyIf('always', () => 'yes' as unknown as boolean, anywhere(Role.CASEWORKER));
    expect(await authorize(truthy, context(identity(Role.CASEWORKER, '0126')), UNITS[0])).toBe(false);
    const yes = onlyIf('always', () => true, anywhere(Role.CASEWORKER));
    expect(await authorize(yes, context(identity(Role.CASEWORKER, '0126')), UNITS[0])).toBe(true);
  });

  it('is not an outright allowance: isAllowed ignores conditional grants', () => {
    expect(isAllowed(policy.Unit!.address, context(identity(Role.CASEWORKER, '0126')))).toBe(false);
    expect(isAllowed(policy.Unit!.address, context(identity(Role.HOUSING_MANAGER, '0138')))).toBe(true);
  });

  it('counts as a rule for fieldsWithoutRule, which still reports fields without one', () => {
    expect(fieldsWithoutRule(schema, policy)).toEqual([]);
    const { address: _address, ...rest } = policy.Unit!;
    expect(fieldsWithoutRule(schema, { ...policy, Unit: rest })).toEqual(['Unit.address']);
  });

  it('still refuses a field without a rule to everyone, conditions or not', async () => {
    const { address: _address, ...rest } = policy.Unit!;
    const result = await graphql({
      schema: enforcePolicy(schema, { ...policy, Unit: rest }),
      source: '{ units { address } }',
      contextValue: context(identity(Role.HOUSING_MANAGER, '0138')),
    });
    expect(result.errors?.map((e) => e.message)).toEqual([
      'Unit.address has no access rule, so it is refused to everyone.',
      'Unit.address has no access rule, so it is refused to everyone.',
    ]);
  });
});

describe('Outright grants, refusals and the rule check', () => {
  const forbiddenMessage = async (policy: Policy, who: Identity) => {
    const result = await graphql({ schema: enforcePolicy(schema, policy), source: '{ units { address } }', contextValue: context(who) });
    return result.errors?.[0]?.message;
  };

  it('never treats a caller without a municipality as own where the deployment serves none (the regional subgraph)', () => {
    const regionalCaseworker: AuthorizationContext = { identity: { ...identity(Role.CASEWORKER), municipality: undefined }, municipalityCode: undefined };
    expect(isAllowed(own(Role.CASEWORKER), regionalCaseworker)).toBe(false);
    expect(isAllowed(anywhere(Role.CASEWORKER), regionalCaseworker)).toBe(true);
  });

  it('refuses synchronously, evaluating nothing, when no grant of the rule matches', () => {
    const refused = authorize(anywhere(Role.HOUSING_MANAGER), context(identity(Role.CASEWORKER, '0138')), UNITS[0]);
    expect(refused).toBe(false);
  });

  it('names every grant of the rule in the FORBIDDEN message, with its scope and condition', async () => {
    const when = () => false;
    const policy: Policy = {
      Query: { units: anywhere(Role.CASEWORKER) },
      Unit: {
        id: anywhere(Role.CASEWORKER),
        address: [
          ...own(Role.HOUSING_MANAGER),
          ...onlyIf('of the receiving municipality', when, anywhere(Role.AUDITOR)),
          { role: Role.ANALYST, scope: 'any', when },
          ...anywhere(Role.COORDINATOR),
        ],
      },
    };
    expect(await forbiddenMessage(policy, identity(Role.CASEWORKER, '0126'))).toBe(
      'Unit.address is only for: housing_manager of the owning municipality, auditor of the receiving municipality, analyst under a condition, coordinator.',
    );
  });

  it('refuses every field of a type the policy does not name at all, and reports them sorted', async () => {
    const policy: Policy = { Query: { units: anywhere(Role.CASEWORKER) } };
    expect(fieldsWithoutRule(schema, policy)).toEqual(['Unit.address', 'Unit.id']);
    expect(await forbiddenMessage(policy, identity(Role.CASEWORKER, '0138'))).toBe('Unit.address has no access rule, so it is refused to everyone.');
  });
});

describe('An outright decision, taken once per request and field', () => {
  const policy: Policy = {
    Query: { units: anywhere(Role.CASEWORKER, Role.HOUSING_MANAGER) },
    Unit: { id: anywhere(Role.CASEWORKER, Role.HOUSING_MANAGER), address: own(Role.HOUSING_MANAGER) },
  };
  const secured = enforcePolicy(schema, policy);
  const read = (contextValue: AuthorizationContext) => graphql({ schema: secured, source: '{ units { id address } }', contextValue });

  it('reads the caller once per field and request, however many objects the field is on', async () => {
    const manager = identity(Role.HOUSING_MANAGER, '0138');
    let reads = 0;
    const counting: AuthorizationContext = {
      municipalityCode: '0138',
      get identity() {
        reads++;
        return manager;
      },
    };
    const result = await read(counting);
    expect(result.data).toEqual({ units: UNITS.map((u) => ({ id: u.id, address: u.address })) });
    // Query.units, Unit.id and Unit.address: one decision each, not one per unit.
    expect(reads).toBe(3);
  });

  it('decides again for the next request: an allowance never carries over to another caller', async () => {
    const allowed = await read(context(identity(Role.HOUSING_MANAGER, '0138')));
    expect(allowed.data?.units).toEqual(UNITS.map((u) => ({ id: u.id, address: u.address })));
    const refused = await read(context(identity(Role.HOUSING_MANAGER, '0126')));
    expect(refused.data?.units).toEqual(UNITS.map((u) => ({ id: u.id, address: null })));
    expect(refused.errors?.map((e) => e.message)).toEqual(UNITS.map(() => 'Unit.address is only for: housing_manager of the owning municipality.'));
    const again = await read(context(identity(Role.HOUSING_MANAGER, '0138')));
    expect(again.data?.units).toEqual(UNITS.map((u) => ({ id: u.id, address: u.address })));
  });
});
