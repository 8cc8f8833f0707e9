import type { ShardClient } from '@sodertorn/shard-client';
import { MunicipalDocuments } from '../municipal-documents';

/** The needs profile of a request, as its sending shard shares it (coarse, pseudonymous). */
export interface RequestProfile {
  id: string;
  municipalityCode: string;
  status: string;
  urgency: string;
  householdSize: number;
  children: number;
  needsWheelchairAccess: boolean;
  allowedKinds: string[];
  excludedMunicipalities: string[];
  earliestStart: string;
  expectedDurationDays: number;
  waitingDays: number;
}

export interface UnitProfile {
  id: string;
  municipalityCode: string;
  kind: string;
  status: string;
  places: number;
  wheelchairAccessible: boolean;
  suitableForChildren: boolean;
}

/** Reads one request's profile from its own shard, by entity reference. */
export async function lookUpRequest(client: ShardClient, municipalityCode: string, id: string): Promise<RequestProfile | null> {
  const data = await client
    .request<{ _entities: (RequestProfile | null)[] }, Record<string, unknown>>(municipalityCode, MunicipalDocuments.LookUpRequest, {
      r: [{ __typename: 'PlacementRequest', municipalityCode, id }],
    })
    .catch((error: unknown) => {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return { _entities: [null] };
      throw error;
    });
  return data._entities[0] ?? null;
}

/** Reads one unit's profile from its own shard, by entity reference. */
export async function lookUpUnit(client: ShardClient, municipalityCode: string, id: string): Promise<UnitProfile | null> {
  const data = await client
    .request<{ _entities: (UnitProfile | null)[] }, Record<string, unknown>>(municipalityCode, MunicipalDocuments.LookUpUnit, {
      r: [{ __typename: 'HousingUnit', municipalityCode, id }],
    })
    .catch((error: unknown) => {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return { _entities: [null] };
      throw error;
    });
  return data._entities[0] ?? null;
}
