import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { Role, type Identity } from '@sodertorn/auth';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ForbiddenError } from './errors';

/** `own`: only for callers of the municipality this deployment serves; `any`: from anywhere in the region. */
export type Scope = 'own' | 'any';

/**
 * A further test a grant can carry, on the object whose field is read (`source`)
 * and the request's context. Runs only for callers the grant's role and scope
 * already match, and only when no unconditional grant allows them.
 */
export type GrantCondition = (source: unknown, context: AuthorizationContext) => boolean | Promise<boolean>;

export interface Grant {
  role: Role;
  scope: Scope;
  /** Allows only where this holds; without it the grant allows outright. */
  when?: GrantCondition;
  /** What `when` requires, in words, for the FORBIDDEN message (never what the data holds). */
  whenDescription?: string;
}

/**
 * Who may read or call one field. `schema` is for what every client may know
 * anyway (the SDL the gateway checks); everything else names its roles.
 */
export type FieldRule = readonly Grant[] | 'schema';

/** Type name → field name → rule. A field missing here is refused: deny by default. */
export type Policy = Readonly<Record<string, Readonly<Record<string, FieldRule>>>>;

export interface AuthorizationContext {
  identity?: Identity;
  /** The municipality a deployment serves; undefined in the regional subgraph, where every grant is `any`. */
  municipalityCode?: string;
}

export const own = (...roles: Role[]): Grant[] => roles.map((role) => ({ role, scope: 'own' }));
export const anywhere = (...roles: Role[]): Grant[] => roles.map((role) => ({ role, scope: 'any' }));

/** The same grants, each allowing only where `when` holds, e.g. `onlyIf('…', test, anywhere(CASEWORKER))`. */
export const onlyIf = (whenDescription: string, when: GrantCondition, grants: readonly Grant[]): Grant[] =>
  grants.map((grant) => ({ ...grant, when, whenDescription }));

/** Gives every field of `fields` the same rule. */
export function sameRule(rule: FieldRule, fields: readonly string[]): Record<string, FieldRule> {
  return Object.fromEntries(fields.map((field) => [field, rule]));
}

/** The grants of a rule whose role and scope match the caller, conditions not yet looked at. */
function matchingGrants(rule: readonly Grant[], context: AuthorizationContext): Grant[] {
  const { identity } = context;
  if (!identity) return [];
  const isOwn = context.municipalityCode !== undefined && identity.municipality === context.municipalityCode;
  return rule.filter((grant) => identity.roles.includes(grant.role) && (grant.scope === 'any' || isOwn));
}

/**
 * Whether the rule allows the caller outright, by role and scope alone. A
 * conditional grant never counts here: it needs the object (see `authorize`).
 */
export function isAllowed(rule: FieldRule | undefined, context: AuthorizationContext): boolean {
  if (rule === undefined) return false;
  if (rule === 'schema') return true;
  return matchingGrants(rule, context).some((grant) => !grant.when);
}

/**
 * Whether the rule allows the caller to read this field of `source`: outright
 * (synchronously), or through a conditional grant whose condition holds. Only
 * the conditions of grants matching the caller's role and scope are evaluated.
 */
export function authorize(rule: FieldRule | undefined, context: AuthorizationContext, source: unknown): boolean | Promise<boolean> {
  return isAllowed(rule, context) || authorizeByCondition(rule, context, source);
}

/** The conditional part of `authorize`, for a caller the rule does not allow outright. */
function authorizeByCondition(rule: FieldRule | undefined, context: AuthorizationContext, source: unknown): boolean | Promise<boolean> {
  if (rule === undefined || rule === 'schema') return false;
  const conditions = matchingGrants(rule, context).flatMap((grant) => (grant.when ? [grant.when] : []));
  if (!conditions.length) return false;
  return (async () => {
    for (const condition of conditions) if ((await condition(source, context)) === true) return true;
    return false;
  })();
}

/** Fields of the schema's object types with no rule in the policy (introspection types excepted). */
export function fieldsWithoutRule(schema: GraphQLSchema, policy: Policy): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) {
      if (policy[type.name]?.[field] === undefined) missing.push(`${type.name}.${field}`);
    }
  }
  return missing.sort();
}

/**
 * Wraps every field resolver of the final schema — type-graphql's and the ones
 * `buildSubgraphSchema` adds (`_entities`, `_service`) alike — with its rule.
 * A refused field resolves to a FORBIDDEN error and its resolver never runs.
 */
export function enforcePolicy(schema: GraphQLSchema, policy: Policy): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const rule = policy[typeName]?.[fieldName];
      const resolve: GraphQLFieldResolver<unknown, AuthorizationContext> = field.resolve ?? defaultFieldResolver;
      // Whether the rule allows the caller outright depends on the caller and the deployment, both
      // fixed for a request: decided once per field and request (the context), not once per object.
      const outright = new WeakMap<AuthorizationContext, boolean>();
      return {
        ...field,
        resolve: (source, args, context, info) => {
          let allowedOutright = context ? outright.get(context) : undefined;
          if (allowedOutright === undefined) {
            allowedOutright = isAllowed(rule, context);
            if (context) outright.set(context, allowedOutright);
          }
          if (allowedOutright) return resolve(source, args, context, info);
          const allowed = authorizeByCondition(rule, context, source);
          if (allowed === true) return resolve(source, args, context, info);
          if (allowed === false) throw forbidden(typeName, fieldName, rule);
          return allowed.then((yes) => {
            if (!yes) throw forbidden(typeName, fieldName, rule);
            return resolve(source, args, context, info);
          });
        },
      };
    },
  });
}

function forbidden(typeName: string, fieldName: string, rule: FieldRule | undefined): ForbiddenError {
  if (!rule) return new ForbiddenError(`${typeName}.${fieldName} has no access rule, so it is refused to everyone.`);
  const who = (rule as readonly Grant[]).map(
    (g) => `${g.role.toLowerCase()}${g.scope === 'own' ? ' of the owning municipality' : ''}${g.when ? ` ${g.whenDescription ?? 'under a condition'}` : ''}`,
  );
  return new ForbiddenError(`${typeName}.${fieldName} is only for: ${who.join(', ')}.`);
}
