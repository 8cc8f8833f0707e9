import { NotFoundError, WrongMunicipalityError, type ReferenceResolvers } from '@sodertorn/service-kit';
import type { ShardContext } from './context';

interface MunicipalReference {
  municipalityCode: string;
  id: string;
}

/** Refuses a reference to another municipality: the gateway never sends one, so it is a forged or misrouted request. */
function assertOwn(code: string, context: ShardContext): void {
  if (code !== context.municipalityCode) throw new WrongMunicipalityError(code, context.municipalityCode);
}

function byLoader(typeName: string, pick: (ctx: ShardContext) => { load(id: string): Promise<object | null> }) {
  return {
    async __resolveReference(reference: MunicipalReference, context: ShardContext) {
      assertOwn(reference.municipalityCode, context);
      const row = await pick(context).load(reference.id);
      if (!row) throw new NotFoundError(typeName, reference.id);
      return row;
    },
  };
}

/** How `_entities` turns each key into a row; every lookup is batched per request. */
export const referenceResolvers = {
  Municipality: {
    async __resolveReference(reference: { code: string }, context: ShardContext) {
      assertOwn(reference.code, context);
      return { code: reference.code };
    },
  },
  HousingUnit: byLoader('Housing unit', (ctx) => ctx.loaders.housingUnit),
  Booking: byLoader('Booking', (ctx) => ctx.loaders.booking),
  PlacementRequest: byLoader('Placement request', (ctx) => ctx.loaders.placementRequest),
} as unknown as ReferenceResolvers;
