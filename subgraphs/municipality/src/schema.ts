import 'reflect-metadata';
import { buildFederatedSchema } from '@sodertorn/service-kit';
import type { GraphQLSchema } from 'graphql';
import { BookingResolver } from './bookings/booking.resolver';
import { ownMunicipalityGuard } from './common/own-municipality.guard';
import { validationErrors } from './common/validation-errors.middleware';
import { HousingUnitResolver } from './housing/housing-unit.resolver';
import { MunicipalityResolver } from './municipality/municipality.resolver';
import { ParticipantResolver } from './participants/participant.resolver';
import { PlacementRequestResolver } from './placement-requests/placement-request.resolver';
import { referenceResolvers } from './references';
import { SupportResourceResolver } from './support-resources/support-resource.resolver';

/** The municipal subgraph's schema: identical in every municipality's deployment. */
export function buildMunicipalitySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        MunicipalityResolver,
        HousingUnitResolver,
        BookingResolver,
        ParticipantResolver,
        PlacementRequestResolver,
        SupportResourceResolver,
      ],
      globalMiddlewares: [validationErrors, ownMunicipalityGuard],
      validate: { forbidUnknownValues: false },
    },
    referenceResolvers,
  );
}
