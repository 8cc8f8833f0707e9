import 'reflect-metadata';
import { buildFederatedSchema, enforcePolicy } from '@sodertorn/service-kit';
import type { GraphQLSchema } from 'graphql';
import { municipalityPolicy } from './access-policy';
import { auditPersonalReads } from './audit/audited-reads';
import { AccessRequestResolver, BookingAddressReadsResolver } from './access-request/access-request.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { BookingLifecycleResolver } from './bookings/booking-lifecycle.resolver';
import { BookingResolver } from './bookings/booking.resolver';
import { ownMunicipalityGuard } from './common/own-municipality.guard';
import { validationErrors } from './common/validation-errors.middleware';
import { HousingUnitResolver } from './housing/housing-unit.resolver';
import { MunicipalityResolver } from './municipality/municipality.resolver';
import { ParticipantResolver } from './participants/participant.resolver';
import { PlacementRequestLifecycleResolver } from './placement-requests/placement-request-lifecycle.resolver';
import { PlacementRequestResolver } from './placement-requests/placement-request.resolver';
import { referenceResolvers } from './references';
import { ForgetPlacementResolver } from './retention/forget-placement.resolver';
import { StatisticsResolver } from './statistics/statistics.resolver';
import { SupportResourceResolver } from './support-resources/support-resource.resolver';

/**
 * The municipal subgraph's schema: identical in every municipality's deployment.
 * Every field is wrapped twice: the access policy (outermost, deny by default)
 * and, for personal data, the audit log.
 */
export async function buildMunicipalitySchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    {
      resolvers: [
        MunicipalityResolver,
        HousingUnitResolver,
        BookingResolver,
        BookingLifecycleResolver,
        ParticipantResolver,
        PlacementRequestResolver,
        PlacementRequestLifecycleResolver,
        SupportResourceResolver,
        AuditResolver,
        AccessRequestResolver,
        BookingAddressReadsResolver,
        StatisticsResolver,
        ForgetPlacementResolver,
      ],
      argumentMiddlewares: [validationErrors, ownMunicipalityGuard],
      validate: { forbidUnknownValues: false },
    },
    referenceResolvers,
  );
  return enforcePolicy(auditPersonalReads(schema), municipalityPolicy);
}
