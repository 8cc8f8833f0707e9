import { Kind, type DocumentNode, type OperationDefinitionNode, type ValueNode } from 'graphql';

export type RootRouting =
  | { kind: 'entities' }
  | { kind: 'municipality'; code: string; operation: 'query' | 'mutation' | 'subscription' }
  | { kind: 'error'; code: 'MUNICIPALITY_REQUIRED' | 'MUNICIPALITIES_DIFFER'; message: string };

/**
 * Decides where a subgraph fetch goes. An `_entities` fetch is split by the
 * router; any other fetch holds "my municipality" root fields and goes to
 * exactly one deployment: the one every root field's `municipalityCode`
 * argument names, or else the caller's own. Fields naming different
 * municipalities, or none at all, are refused rather than guessed: a mutation
 * must never reach the wrong shard. Whether the caller may address another
 * municipality is the shard's decision, by its access policy.
 */
export function routeRootOperation(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  /** The caller's own municipality (from the verified token), for fields that name none. */
  callerMunicipality?: string,
): RootRouting {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return { kind: 'error', code: 'MUNICIPALITY_REQUIRED', message: 'The fetch holds no operation.' };
  const codes = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    if (selection.name.value === '_entities') return { kind: 'entities' };
    if (selection.name.value === '__typename') continue;
    const argument = selection.arguments?.find((a) => a.name.value === 'municipalityCode');
    const given = argument ? valueOf(argument.value, variables) : undefined;
    const code = given ?? callerMunicipality;
    if (typeof code !== 'string') {
      return {
        kind: 'error',
        code: 'MUNICIPALITY_REQUIRED',
        message: `${selection.name.value} is a municipal field and your token names no municipality: say which with its municipalityCode argument.`,
      };
    }
    codes.add(code);
  }
  if (codes.size !== 1) {
    return codes.size === 0
      ? { kind: 'error', code: 'MUNICIPALITY_REQUIRED', message: 'No municipal root field names a municipality.' }
      : {
          kind: 'error',
          code: 'MUNICIPALITIES_DIFFER',
          message: `One operation cannot address several municipalities (${[...codes].sort().join(', ')}); send one per municipality.`,
        };
  }
  return { kind: 'municipality', code: [...codes][0]!, operation: operation.operation };
}

function valueOf(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  if (node.kind === Kind.STRING) return node.value;
  // The planner prints an ID that looks numeric as an int literal (9999, though not 0126).
  if (node.kind === Kind.INT) return node.value;
  return undefined;
}
