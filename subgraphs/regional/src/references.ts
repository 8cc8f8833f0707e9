import { UnknownMunicipalityError, type ReferenceResolvers } from '@sodertorn/service-kit';
import type { RegionalContext } from './context';
import { assertParty, canSee, PLACEMENT_VIEWERS } from './placements/placement-access';
import { findPlacement } from './placements/placement-saga';
import { RegisteredMunicipality } from './region/registered-municipality.entity';

export const referenceResolvers = {
  Municipality: {
    async __resolveReference(reference: { code: string }, { em }: RegionalContext) {
      const municipality = await em.findOne(RegisteredMunicipality, { code: reference.code });
      if (!municipality) throw new UnknownMunicipalityError(reference.code);
      return municipality;
    },
  },
  // A request's own fields are its shard's; the region answers only the placements made for it.
  PlacementRequest: {
    __resolveReference(reference: { municipalityCode: string; id: string }) {
      return { municipalityCode: reference.municipalityCode, id: reference.id };
    },
  },
  Placement: {
    async __resolveReference(reference: { id: string }, { em, identity }: RegionalContext) {
      const placement = await findPlacement(em, reference.id);
      assertParty(canSee(identity, placement), 'see', PLACEMENT_VIEWERS);
      return placement;
    },
  },
} as unknown as ReferenceResolvers;
