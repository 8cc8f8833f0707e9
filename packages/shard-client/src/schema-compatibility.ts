import {
  Kind,
  parse,
  print,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type EnumValueDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type NamedTypeNode,
  type OperationTypeNode,
  type TypeNode,
} from 'graphql';

/**
 * Whether a municipal deployment can serve what the composed supergraph routes to it.
 *
 * The gateway composed its supergraph from one municipal subgraph SDL (`supergraphNeeds`).
 * A deployment is served when its own SDL (`shardSdl`) offers at least all of that:
 * every type of the same kind; every field, with a type the gateway can read (same
 * named type and list shape; non-null where the need is non-null); every argument and
 * input field the gateway may send, accepting at least what the need accepts; no new
 * argument or input field the gateway does not know it must send (required, without a
 * default); every enum value; every union member and implemented interface; every
 * entity key. More than that (a field, type, enum value or optional argument added by a
 * newer build) is allowed, so shards can upgrade one at a time ahead of the gateway.
 */
export interface SchemaCompatibility {
  compatible: boolean;
  /** What the shard lacks, one line each, e.g. `field Query.auditLog is missing`. */
  problems: string[];
}

export function schemaCompatibility(supergraphNeeds: string | DocumentNode, shardSdl: string | DocumentNode): SchemaCompatibility {
  const needs = collect(typeof supergraphNeeds === 'string' ? parse(supergraphNeeds) : supergraphNeeds);
  const has = collect(typeof shardSdl === 'string' ? parse(shardSdl) : shardSdl);
  const problems: string[] = [];

  for (const [operation, typeName] of needs.roots) {
    const shardRoot = has.roots.get(operation);
    if (shardRoot !== typeName) problems.push(`${operation} root type is ${shardRoot ?? 'missing'}, expected ${typeName}`);
  }
  for (const [name, need] of needs.types) {
    const shard = has.types.get(name);
    if (!shard) {
      problems.push(`type ${name} is missing`);
      continue;
    }
    if (shard.kind !== need.kind) {
      problems.push(`type ${name} is ${describeKind(shard.kind)}, expected ${describeKind(need.kind)}`);
      continue;
    }
    compareType(name, need, shard, problems);
  }
  return { compatible: problems.length === 0, problems };
}

/** One type, with its extensions folded in. */
interface TypeParts {
  kind: 'object' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';
  fields: Map<string, FieldDefinitionNode>;
  inputFields: Map<string, InputValueDefinitionNode>;
  values: Map<string, EnumValueDefinitionNode>;
  members: Set<string>;
  interfaces: Set<string>;
  keys: Set<string>;
}

interface Collected {
  types: Map<string, TypeParts>;
  roots: Map<OperationTypeNode, string>;
}

function collect(document: DocumentNode): Collected {
  const types = new Map<string, TypeParts>();
  const roots = new Map<OperationTypeNode, string>();
  const part = (name: string, kind: TypeParts['kind']): TypeParts => {
    let found = types.get(name);
    if (!found) {
      found = { kind, fields: new Map(), inputFields: new Map(), values: new Map(), members: new Set(), interfaces: new Set(), keys: new Set() };
      types.set(name, found);
    }
    return found;
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      for (const operation of definition.operationTypes ?? []) roots.set(operation.operation, operation.type.name.value);
      continue;
    }
    const kind = kindOf(definition);
    if (!kind || !('name' in definition) || !definition.name) continue;
    const parts = part(definition.name.value, kind);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        if (field.kind === Kind.FIELD_DEFINITION) parts.fields.set(field.name.value, field);
        else parts.inputFields.set(field.name.value, field);
      }
    }
    if ('values' in definition) for (const value of definition.values ?? []) parts.values.set(value.name.value, value);
    if ('types' in definition) for (const member of definition.types ?? []) parts.members.add(member.name.value);
    if ('interfaces' in definition) for (const iface of definition.interfaces ?? []) parts.interfaces.add(iface.name.value);
    if ('directives' in definition) for (const key of keysOf(definition.directives)) parts.keys.add(key);
  }
  // Without a schema definition, the default root names apply.
  if (roots.size === 0) {
    for (const [operation, name] of [
      ['query', 'Query'],
      ['mutation', 'Mutation'],
      ['subscription', 'Subscription'],
    ] as const) {
      if (types.has(name)) roots.set(operation as OperationTypeNode, name);
    }
  }
  return { types, roots };
}

function kindOf(definition: DefinitionNode): TypeParts['kind'] | undefined {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'object';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'interface';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'input';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'enum';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'union';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'scalar';
    default:
      return undefined;
  }
}

/** The field sets of a type's `@key` directives, whitespace-normalised. */
function keysOf(directives: readonly DirectiveNode[] | undefined): string[] {
  const keys: string[] = [];
  for (const directive of directives ?? []) {
    if (directive.name.value !== 'key' && directive.name.value !== 'federation__key') continue;
    const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING) keys.push(fields.value.trim().split(/\s+/).join(' '));
  }
  return keys;
}

function describeKind(kind: TypeParts['kind']): string {
  return kind === 'input' ? 'an input type' : kind === 'interface' || kind === 'enum' || kind === 'object' ? `an ${kind}` : `a ${kind}`;
}

function compareType(name: string, need: TypeParts, shard: TypeParts, problems: string[]): void {
  for (const [fieldName, needField] of need.fields) {
    const shardField = shard.fields.get(fieldName);
    const where = `${name}.${fieldName}`;
    if (!shardField) {
      problems.push(`field ${where} is missing`);
      continue;
    }
    if (!readable(needField.type, shardField.type)) problems.push(`field ${where} has type ${print(shardField.type)}, expected ${print(needField.type)}`);
    compareInputs(
      `argument ${where}`,
      new Map((needField.arguments ?? []).map((a) => [a.name.value, a])),
      new Map((shardField.arguments ?? []).map((a) => [a.name.value, a])),
      problems,
    );
  }
  compareInputs(`input field ${name}`, need.inputFields, shard.inputFields, problems, '.');
  for (const value of need.values.keys()) if (!shard.values.has(value)) problems.push(`enum value ${name}.${value} is missing`);
  for (const member of need.members) if (!shard.members.has(member)) problems.push(`union ${name} lacks member ${member}`);
  for (const iface of need.interfaces) if (!shard.interfaces.has(iface)) problems.push(`type ${name} does not implement ${iface}`);
  for (const key of need.keys) if (!shard.keys.has(key)) problems.push(`type ${name} lacks entity key @key(fields: "${key}")`);
}

/** Arguments or input fields: the shard must accept everything the gateway may send, and ask for nothing more. */
function compareInputs(
  label: string,
  need: Map<string, InputValueDefinitionNode>,
  shard: Map<string, InputValueDefinitionNode>,
  problems: string[],
  separator = '(',
): void {
  const at = (inputName: string) => (separator === '(' ? `${label}(${inputName}:)` : `${label}${separator}${inputName}`);
  for (const [inputName, needInput] of need) {
    const shardInput = shard.get(inputName);
    if (!shardInput) problems.push(`${at(inputName)} is missing`);
    else if (!acceptable(needInput.type, shardInput.type))
      problems.push(`${at(inputName)} has type ${print(shardInput.type)}, expected ${print(needInput.type)}`);
  }
  for (const [inputName, shardInput] of shard) {
    if (!need.has(inputName) && shardInput.type.kind === Kind.NON_NULL_TYPE && !shardInput.defaultValue) {
      problems.push(`${at(inputName)} is new and required; the gateway does not send it`);
    }
  }
}

/** Output position: the gateway can read the shard's value if it is never null where promised non-null. */
function readable(need: TypeNode, shard: TypeNode): boolean {
  if (shard.kind === Kind.NON_NULL_TYPE) return readable(need.kind === Kind.NON_NULL_TYPE ? need.type : need, shard.type);
  if (need.kind === Kind.NON_NULL_TYPE) return false;
  if (need.kind === Kind.LIST_TYPE) return shard.kind === Kind.LIST_TYPE && readable(need.type, shard.type);
  return sameName(need, shard);
}

/** Input position: the shard accepts what the gateway sends if it is nullable wherever the need is. */
function acceptable(need: TypeNode, shard: TypeNode): boolean {
  if (need.kind === Kind.NON_NULL_TYPE) return acceptable(need.type, shard.kind === Kind.NON_NULL_TYPE ? shard.type : shard);
  if (shard.kind === Kind.NON_NULL_TYPE) return false;
  if (need.kind === Kind.LIST_TYPE) return shard.kind === Kind.LIST_TYPE && acceptable(need.type, shard.type);
  return sameName(need, shard);
}

function sameName(need: NamedTypeNode, shard: TypeNode): boolean {
  return shard.kind === Kind.NAMED_TYPE && shard.name.value === need.name.value;
}
