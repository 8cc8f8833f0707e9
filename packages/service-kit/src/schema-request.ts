import { Kind, parse, type OperationDefinitionNode } from 'graphql';

/**
 * True for a request that asks for nothing but the subgraph's SDL
 * (`{ _service { sdl } }`), the one thing a deployment answers without a token:
 * the gateway checks it at start, and a schema is not data.
 */
export function isSchemaOnlyRequest(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string' || query.length > 500) return false;
  try {
    const operations = parse(query).definitions;
    if (operations.length !== 1 || operations[0]!.kind !== Kind.OPERATION_DEFINITION) return false;
    const operation = operations[0] as OperationDefinitionNode;
    return (
      operation.operation === 'query' &&
      operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === '_service' || s.name.value === '__typename'))
    );
  } catch {
    return false;
  }
}
