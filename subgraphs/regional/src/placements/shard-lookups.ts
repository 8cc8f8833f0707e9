import type { ShardClient } from '@sodertorn/shard-client';
import { MunicipalDocuments, type LookUpRequestQuery, type LookUpUnitQuery } from '../municipal-documents';

/** What an entity lookup returns for one representation: the entity, an empty object for another type, or null. */
type Entity<TQuery extends { _entities: unknown[] }> = Exclude<TQuery['_entities'][number], Record<PropertyKey, never> | null>;

/** The needs profile of a request, as its sending shard shares it (coarse, pseudonymous). */
export type RequestProfile = Entity<LookUpRequestQuery>;

export type UnitProfile = Entity<LookUpUnitQuery>;

/** Reads one request's profile from its own shard, by entity reference. */
export async function lookUpRequest(client: ShardClient, municipalityCode: string, id: string): Promise<RequestProfile | null> {
  const data = await client
    .request(municipalityCode, MunicipalDocuments.LookUpRequest, { r: [{ __typename: 'PlacementRequest', municipalityCode, id }] })
    .catch(nullIfNotFound);
  return theEntity<RequestProfile>(data._entities[0]);
}

/** Reads one unit's profile from its own shard, by entity reference. */
export async function lookUpUnit(client: ShardClient, municipalityCode: string, id: string): Promise<UnitProfile | null> {
  const data = await client
    .request(municipalityCode, MunicipalDocuments.LookUpUnit, { r: [{ __typename: 'HousingUnit', municipalityCode, id }] })
    .catch(nullIfNotFound);
  return theEntity<UnitProfile>(data._entities[0]);
}

/** A shard that does not know the entity answers NOT_FOUND: for the lookup, there is none. */
function nullIfNotFound(error: unknown): { _entities: [null] } {
  if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return { _entities: [null] };
  throw error;
}

/**
 * The entity looked up. The shard answers for the representation's own type; the generated type
 * also allows the empty object a selection on another type of _Entity would give, read as none.
 */
function theEntity<T extends { id: string }>(found: T | Record<PropertyKey, never> | null | undefined): T | null {
  return found && 'id' in found ? (found as T) : null;
}
