import { periodProblems } from '@sodertorn/service-kit';
import { getArgumentValues, isObjectType, Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import type { Period } from './free-places';

/**
 * The one period over which this request asks a list of units for `freePlaces`, if there is
 * exactly one and the date rules accept it: the list then computes them in its own statement
 * (listHousingUnits), which a capacity overview needs on every request. Several periods (aliases),
 * none, or a period the rules refuse: undefined, and each unit's freePlaces is loaded, or refused,
 * by its own resolver as before. Looks through inline fragments and fragment spreads (validation
 * has already refused fragment cycles).
 */
export function freePlacesPeriodAsked(info: GraphQLResolveInfo): Period | undefined {
  const unitType = info.schema.getType('HousingUnit');
  const field = isObjectType(unitType) ? unitType.getFields().freePlaces : undefined;
  if (!field) return undefined;
  const periods = new Map<string, Period>();
  let unreadable = false;
  const visit = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet.selections);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) visit(info.fragments[selection.name.value]?.selectionSet.selections ?? []);
      else if (selection.name.value === 'freePlaces') {
        try {
          const { from, to } = getArgumentValues(field, selection, info.variableValues) as { from: string; to: string };
          periods.set(`${from}/${to}`, { from, to });
        } catch {
          unreadable = true; // the field's own resolution reports it
        }
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet?.selections ?? []);
  const [period, ...others] = [...periods.values()];
  if (!period || others.length || unreadable) return undefined;
  return periodProblems({ field: 'from', value: period.from }, { field: 'to', value: period.to }).length ? undefined : period;
}
