import { UnknownMunicipalityError, type ReferenceResolvers } from '@sodertorn/service-kit';
import type { RegionalContext } from './context';
import { RegisteredMunicipality } from './region/registered-municipality.entity';

export const referenceResolvers = {
  Municipality: {
    async __resolveReference(reference: { code: string }, { em }: RegionalContext) {
      const municipality = await em.findOne(RegisteredMunicipality, { code: reference.code });
      if (!municipality) throw new UnknownMunicipalityError(reference.code);
      return municipality;
    },
  },
} as unknown as ReferenceResolvers;
