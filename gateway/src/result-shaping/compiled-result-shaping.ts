import {
  ERRORS,
  isCompositeType,
  isCustomScalarType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  isValidLeafValue,
  typenameFieldName,
  Variable,
  type CompositeType,
  type FieldSelection,
  type LeafType,
  type Operation,
  type Schema,
  type Selection,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/**
 * The gateway's last step — "result shaping": the subgraphs' merged answers cut
 * down to what the operation selected, leaf values checked against their types
 * and nulls bubbled up to the nearest nullable field — with the same contract
 * and the same answers as Apollo Gateway's `computeResponse` (2.14), but
 * compiled once per request instead of interpreted per value.
 *
 * Why: Apollo's version decides per value what the operation says once per
 * request — the `@skip`/`@include` directives of every selection, each field's
 * response name, definition and type kind, read through getters — which for
 * the national query (290 municipalities, 2,900 housing units) was about a
 * quarter of the gateway's CPU. Here a selection set is compiled the first time
 * it is met in a request (skips decided, names and types read once) and each
 * type's kind is kept per schema, so per value only the value is looked at.
 *
 * `result-shaping.test.ts` checks it against Apollo's own function (the oracle)
 * on valid, invalid and merged answers; `install.ts` puts it in Apollo's place.
 */
export interface ComputeResponseOptions {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (introspectionSelection: FieldSelection) => unknown;
}

export interface ComputedResponse {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}

/** What one selection of a selection set does, decided once per request. */
type Step =
  | { kind: 'field'; responseName: string; type: Type; selectionSet: SelectionSet | undefined }
  | { kind: 'typename'; responseName: string }
  | { kind: 'introspection'; responseName: string; selection: FieldSelection }
  | { kind: 'fragment'; typeCondition: CompositeType | undefined; selectionSet: SelectionSet };

/** A type's kind, kept per schema type (the supergraph's types live as long as its schema). */
type Shape =
  | { kind: 'nonNull'; type: Type; of: Shape }
  | { kind: 'list'; type: Type; of: Shape }
  | { kind: 'composite'; type: Type }
  | { kind: 'customScalar'; type: Type }
  | { kind: 'leaf'; type: LeafType };

const shapes = new WeakMap<Type, Shape>();

function shapeOf(type: Type): Shape {
  let shape = shapes.get(type);
  if (!shape) {
    if (isNonNullType(type)) shape = { kind: 'nonNull', type, of: shapeOf(type.ofType) };
    else if (isListType(type)) shape = { kind: 'list', type, of: shapeOf(type.ofType) };
    else if (isCompositeType(type)) shape = { kind: 'composite', type };
    else if (isCustomScalarType(type)) shape = { kind: 'customScalar', type };
    else shape = { kind: 'leaf', type: type as LeafType }; // an output type that is neither wrapper nor composite
    shapes.set(type, shape);
  }
  return shape;
}

/** Set by `complete` for its caller: the value made its parent null (a null in a non-null place) / errors were recorded below. */
const INVALID = 1;
const HAS_ERRORS = 2;

const hasOwn = Object.prototype.hasOwnProperty;
const own = (object: object, key: string): unknown => (hasOwn.call(object, key) ? (object as Record<string, unknown>)[key] : undefined);

class Shaper {
  readonly errors: GraphQLError[] = [];
  /** The outcome flags of the last `complete` (INVALID, HAS_ERRORS). */
  private flags = 0;
  private readonly compiled = new Map<SelectionSet, Step[]>();

  constructor(
    private readonly schema: Schema,
    private readonly variables: Record<string, unknown>,
    private readonly introspectionHandling: ComputeResponseOptions['introspectionHandling'],
  ) {}

  /** Writes `input`'s selected fields into `output`; false when a field's null must make the object null. */
  applySelectionSet(
    input: Record<string, unknown>,
    selectionSet: SelectionSet,
    output: Record<string, unknown>,
    path: (string | number)[],
    parentType: CompositeType,
  ): boolean {
    for (const step of this.steps(selectionSet)) {
      if (step.kind === 'field') {
        const inputValue = own(input, step.responseName) ?? null;
        path.push(step.responseName);
        output[step.responseName] = this.complete(output[step.responseName], shapeOf(step.type), inputValue, step.selectionSet, path, parentType);
        path.pop();
        if (this.flags & INVALID) return false;
      } else if (step.kind === 'typename') {
        if (output[step.responseName] !== undefined) continue;
        let named = own(input, step.responseName) ?? null;
        if (named === null && step.responseName !== typenameFieldName) named = input[typenameFieldName] ?? null;
        const type = typeof named === 'string' ? (this.schema.type(named) ?? parentType) : parentType;
        if (!isObjectType(type)) return false;
        output[step.responseName] = type.name;
      } else if (step.kind === 'introspection') {
        if (output[step.responseName] === undefined) output[step.responseName] = this.introspectionHandling(step.selection);
      } else {
        const typename = input[typenameFieldName];
        if (typename && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${String(typename)}`);
        if (this.typeConditionApplies(step.typeCondition, typename, parentType)) {
          if (!this.applySelectionSet(input, step.selectionSet, output, path, step.typeCondition ?? parentType)) return false;
        }
      }
    }
    return true;
  }

  /** The output value for `inputValue` of type `shape`, merged into `outputValue` (an earlier selection of the same name); sets `flags`. */
  private complete(
    outputValue: unknown,
    shape: Shape,
    inputValue: unknown,
    selectionSet: SelectionSet | undefined,
    path: (string | number)[],
    parentType: CompositeType,
  ): unknown {
    this.flags = 0;
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    switch (shape.kind) {
      case 'nonNull': {
        const updated = this.complete(outputValue, shape.of, inputValue, selectionSet, path, parentType);
        if (updated !== null) {
          this.flags = 0;
          return updated;
        }
        if (!(this.flags & HAS_ERRORS)) {
          this.errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describeLast(path, shape.of.type, parentType)}.`, { path: [...path] }),
          );
        }
        this.flags = INVALID | HAS_ERRORS;
        return null;
      }
      case 'list': {
        if (inputValue === null) return null;
        if (!Array.isArray(inputValue))
          throw new Error(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${String(shape.type)}`);
        if (outputValue !== undefined && !Array.isArray(outputValue))
          throw new Error(`Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${String(shape.type)}`);
        const existing = outputValue as unknown[] | undefined;
        if (existing && existing.length !== inputValue.length) {
          throw new Error(`[${String(inputValue)}].length (${inputValue.length}) !== [${String(existing)}].length (${existing.length})`);
        }
        let nullify = false;
        let hasErrors = false;
        const updated = new Array<unknown>(inputValue.length);
        for (let index = 0; index < inputValue.length; index++) {
          if (inputValue[index] === undefined) throw new Error('Should not pass undefined for `inputValue` to this method'); // not from JSON
          path.push(index);
          updated[index] = this.complete(existing?.[index], shape.of, inputValue[index], selectionSet, path, parentType);
          path.pop();
          nullify ||= (this.flags & INVALID) !== 0;
          hasErrors ||= (this.flags & HAS_ERRORS) !== 0;
        }
        this.flags = hasErrors ? HAS_ERRORS : 0;
        return nullify ? null : updated;
      }
      case 'composite': {
        if (inputValue === null) return null;
        if (!selectionSet) throw new Error(`Invalid empty selection set for composite type ${String(shape.type)}`);
        if (typeof inputValue !== 'object')
          throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(shape.type)}`);
        if (outputValue !== undefined && typeof outputValue !== 'object') {
          throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(shape.type)}`);
        }
        const input = inputValue as Record<string, unknown>;
        const typename = input[typenameFieldName];
        if (typename !== undefined && typeof typename !== 'string')
          throw new Error(`Invalid non-string value ${String(typename)} for __typename at ${path.join(',')}`);
        let objectType = shape.type as CompositeType;
        if (typename) {
          const named = this.schema.type(typename);
          if (!named || !isCompositeType(named)) {
            this.errors.push(
              ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describeLast(path, shape.type, parentType)}.`, { path: [...path] }),
            );
            this.flags = HAS_ERRORS;
            return null;
          }
          objectType = named;
        }
        const output = (outputValue ?? Object.create(null)) as Record<string, unknown>;
        const ok = this.applySelectionSet(input, selectionSet, output, path, objectType);
        this.flags = ok ? 0 : HAS_ERRORS;
        return ok ? output : null;
      }
      case 'customScalar':
      case 'leaf': {
        if (inputValue === null) return null;
        if (outputValue !== undefined) throw new Error(`Excepted output to be undefined but got ${String(shape.type)} for type ${String(shape.type)}`);
        if (shape.kind === 'customScalar') return inputValue;
        if (isValidLeafValue(this.schema, inputValue, shape.type)) return inputValue;
        this.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(path, shape.type, parentType)}.`, { path: [...path] }));
        this.flags = HAS_ERRORS;
        return null;
      }
    }
  }

  private typeConditionApplies(typeCondition: CompositeType | undefined, typename: unknown, parentType: CompositeType): boolean {
    if (!typeCondition) return true;
    if (typeof typename === 'string' && typename !== '') {
      const type = this.schema.type(typename);
      return !!type && isSubtype(typeCondition, type);
    }
    return isSubtype(typeCondition, parentType);
  }

  /** The selection set's steps: compiled the first time this request meets it. */
  private steps(selectionSet: SelectionSet): Step[] {
    let steps = this.compiled.get(selectionSet);
    if (!steps) {
      steps = [];
      for (const selection of selectionSet.selections()) {
        if (this.skipped(selection)) continue;
        steps.push(this.step(selection));
      }
      this.compiled.set(selectionSet, steps);
    }
    return steps;
  }

  private step(selection: Selection): Step {
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      const responseName = field.responseName();
      if (field.definition.isSchemaIntrospectionField()) return { kind: 'introspection', responseName, selection };
      if (field.name === typenameFieldName) return { kind: 'typename', responseName };
      return { kind: 'field', responseName, type: field.definition.type!, selectionSet: selection.selectionSet };
    }
    return { kind: 'fragment', typeCondition: selection.element.typeCondition, selectionSet: selection.selectionSet };
  }

  /** `@skip(if: true)` or `@include(if: false)`, with the request's variables. */
  private skipped(selection: Selection): boolean {
    const skip = selection.element.appliedDirectivesOf(this.schema.skipDirective())[0];
    const include = selection.element.appliedDirectivesOf(this.schema.includeDirective())[0];
    return (!!skip && this.condition(skip)) || (!!include && !this.condition(include));
  }

  private condition(directive: { arguments(): { if: unknown } }): boolean {
    const value = directive.arguments().if;
    if (!(value instanceof Variable)) return value as boolean;
    const bound = this.variables[value.name];
    if (typeof bound !== 'boolean') throw new Error(`Unexpected value ${String(bound)} for variable ${String(value)} of ${String(directive)}`);
    return bound;
  }
}

/** "field Type.name", or "array element of type T at index i": where a value went wrong, as Apollo words it. */
function describeLast(path: (string | number)[], type: Type, parentType: CompositeType): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `field ${String(parentType)}.${last}` : `array element of type ${String(type)} at index ${last}`;
}

/** Apollo Gateway's `computeResponse`, compiled per request (see the file's comment). */
export function computeResponse({ operation, variables, input, introspectionHandling }: ComputeResponseOptions): ComputedResponse {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const shaper = new Shaper(schema, { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables }, introspectionHandling);
  const data = Object.create(null) as Record<string, unknown>;
  const ok = shaper.applySelectionSet(input, operation.selectionSet, data, [], schema.schemaDefinition.rootType(operation.rootKind)!);
  return { data: ok ? data : null, errors: shaper.errors };
}
