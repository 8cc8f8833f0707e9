import { Role } from '@sodertorn/auth';
import { anywhere, sameRule, type Policy } from '@sodertorn/service-kit';

const { CASEWORKER, HOUSING_MANAGER, COORDINATOR, ANALYST, AUDITOR, SERVICE, DATA_PROTECTION_OFFICER, RETENTION_SERVICE } = Role;
const everyone = anywhere(CASEWORKER, HOUSING_MANAGER, COORDINATOR, ANALYST, AUDITOR, SERVICE, DATA_PROTECTION_OFFICER);
/**
 * Placement parties; the resolvers narrow staff to the placements their municipality is in (a data
 * protection officer, like the caseworkers, to those of their municipality's participants: for the extract).
 */
const placementParties = anywhere(COORDINATOR, CASEWORKER, HOUSING_MANAGER, SERVICE, DATA_PROTECTION_OFFICER);
const coordinators = anywhere(COORDINATOR, SERVICE);
/** Released (disclosure-controlled) regional statistics: the BI tools and the region's coordinators. */
const statisticsReaders = anywhere(ANALYST, COORDINATOR);

/**
 * Who may read each field of the regional subgraph. The registry of members is
 * reference data every role may see (analysts label their aggregates with it);
 * a field missing here is refused to all.
 */
export const regionalPolicy: Policy = {
  Query: {
    _service: 'schema',
    _entities: everyone,
    region: everyone,
    placements: placementParties,
    placement: placementParties,
    proposePlacements: coordinators,
    bestUnitsFor: coordinators,
    statistics: statisticsReaders,
    statisticsDatasets: statisticsReaders,
    statisticsReleases: anywhere(COORDINATOR),
  },
  Mutation: {
    offerPlacement: anywhere(COORDINATOR),
    acceptPlacement: anywhere(HOUSING_MANAGER),
    declinePlacement: anywhere(HOUSING_MANAGER, COORDINATOR),
    recordPlacementMoveIn: anywhere(CASEWORKER),
    endPlacement: anywhere(CASEWORKER, HOUSING_MANAGER, COORDINATOR),
    cancelPlacement: anywhere(COORDINATOR, CASEWORKER),
    reconcilePlacements: coordinators,
    releaseStatistics: anywhere(COORDINATOR),
    // A municipality's culling job; the resolver narrows it to the caller's own municipality's requests.
    forgetCulledPlacementRequests: anywhere(RETENTION_SERVICE),
  },
  _Service: { sdl: 'schema' },
  Region: { name: everyone, municipalities: everyone, municipality: everyone },
  Municipality: { code: everyone, name: everyone },
  Placement: sameRule(placementParties, [
    'id',
    'status',
    'request',
    'unit',
    'booking',
    'sendingMunicipality',
    'receivingMunicipality',
    'places',
    'startsOn',
    'endsOn',
    'holdExpiresAt',
    'pendingStep',
    'createdAt',
    'history',
  ]),
  PlacementEvent: sameRule(placementParties, ['at', 'fromStatus', 'toStatus', 'actorSub', 'note']),
  PlacementRequest: sameRule(placementParties, ['municipalityCode', 'id', 'placements']),
  HousingUnit: sameRule(placementParties, ['municipalityCode', 'id']),
  Booking: sameRule(placementParties, ['municipalityCode', 'id']),
  PlacementProposals: sameRule(coordinators, [
    'proposals',
    'unmatched',
    'objective',
    'optimal',
    'upperBound',
    'horizonFrom',
    'horizonTo',
    'municipalitiesCovered',
    'unreachable',
  ]),
  PlacementProposal: sameRule(coordinators, ['request', 'unit', 'score', 'scoreParts', 'constraintsMet', 'scoreNotes']),
  RankedUnit: sameRule(coordinators, ['unit', 'score', 'scoreParts', 'constraintsMet', 'scoreNotes']),
  ScoreParts: sameRule(coordinators, ['urgency', 'waiting', 'fit', 'distance']),
  UnmatchedPlacementRequest: sameRule(coordinators, ['request', 'reason', 'explanation']),
  StatisticsTable: sameRule(statisticsReaders, [
    'dataset',
    'measure',
    'dimension',
    'unit',
    'year',
    'release',
    'municipalitiesCovered',
    'municipalitiesMissing',
    'missingReasons',
    'threshold',
    'cells',
    'rowTotals',
    'columnTotals',
    'total',
    'rows',
    'releasedAt',
  ]),
  StatisticsValue: sameRule(statisticsReaders, ['value', 'suppressed', 'reason']),
  StatisticsCell: sameRule(statisticsReaders, ['period', 'category', 'value', 'suppressed', 'reason']),
  StatisticsRow: sameRule(statisticsReaders, [
    'period',
    'municipalityCode',
    'dimension',
    'category',
    'measure',
    'unit',
    'value',
    'suppressed',
    'reason',
    'periodStart',
    'periodEnd',
    'isTotal',
  ]),
  MissingMunicipality: sameRule(statisticsReaders, ['municipalityCode', 'reason']),
  StatisticsReleaseEntry: sameRule(anywhere(COORDINATOR), [
    'id',
    'dataset',
    'year',
    'release',
    'municipalitiesCovered',
    'threshold',
    'clientSub',
    'requestId',
    'releasedAt',
  ]),
  StatisticsDatasetInfo: sameRule(statisticsReaders, ['name', 'kind', 'measure', 'dimension', 'unit', 'categories', 'yearTotals', 'perMunicipality']),
  CulledPlacementTraces: sameRule(anywhere(RETENTION_SERVICE), [
    'placements',
    'placementEvents',
    'notificationEvents',
    'notificationDeliveries',
    'receivingBookingsDetached',
    'livePlacementsKept',
  ]),
  ReconcileReport: sameRule(coordinators, [
    'expiredOffers',
    'failedPendingOffers',
    'stepsFinished',
    'orphanHoldsReleased',
    'requestsReopened',
    'acceptancesCompleted',
    'unreachable',
  ]),
};
