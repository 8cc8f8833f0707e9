import { Role } from '@sodertorn/auth';
import { anywhere, onlyIf, own, sameRule, type Policy } from '@sodertorn/service-kit';
import { isBookingOfCallersParticipant } from './access-request/booking-of-own-participant';
import { hasConfirmedPlacementInUnit } from './housing/street-address-access';

const { CASEWORKER, HOUSING_MANAGER, COORDINATOR, AUDITOR, SERVICE, ANALYST, DATA_PROTECTION_OFFICER } = Role;

/** Shared capacity: free places and what a unit offers, without its address. */
const capacity = [...anywhere(CASEWORKER, HOUSING_MANAGER, COORDINATOR, SERVICE)];
/** Pseudonymous placement data: the sending municipality's caseworkers and the region's coordinators. */
const placementView = [...own(CASEWORKER), ...anywhere(COORDINATOR, SERVICE)];
const ownCaseworker = own(CASEWORKER);
/**
 * An own participant's register extract and what it holds: their caseworkers, and the data protection
 * officers who answer data subjects' requests (who reach the participant through the extract only).
 */
const extractReaders = own(CASEWORKER, DATA_PROTECTION_OFFICER);
/** Every role: the federation's entry and the members' codes. */
const everyRole = anywhere(CASEWORKER, HOUSING_MANAGER, COORDINATOR, ANALYST, AUDITOR, SERVICE, DATA_PROTECTION_OFFICER);

/**
 * Who may read or call each field of the municipal subgraph, after DESIGN.md's
 * role table. Every field is listed; a field missing here is refused to all
 * (a test walks the schema to keep it that way). `own` means staff of the
 * municipality this deployment serves.
 */
export const municipalityPolicy: Policy = {
  Query: {
    _service: 'schema',
    _entities: everyRole,
    myMunicipality: [...own(CASEWORKER, HOUSING_MANAGER), ...anywhere(COORDINATOR, SERVICE)],
    participants: ownCaseworker,
    participant: ownCaseworker,
    auditLog: own(AUDITOR),
    auditChainVerification: own(AUDITOR),
    // A participant's register extract: what their caseworkers may read of them anyway, plus the log.
    accessRequest: extractReaders,
    // Joint statistics: masked cells (and the own table, protected here) for the region's
    // aggregation round only; the own table for the municipality's analysts.
    statisticsKeys: anywhere(SERVICE),
    statisticsReadiness: anywhere(SERVICE),
    statisticsContribution: anywhere(SERVICE),
    ownStatistics: own(ANALYST),
  },
  Mutation: {
    registerParticipant: ownCaseworker,
    updateParticipant: ownCaseworker,
    registerHousingUnit: own(HOUSING_MANAGER),
    updateHousingUnit: own(HOUSING_MANAGER),
    registerSupportResource: own(CASEWORKER, HOUSING_MANAGER),
    updateSupportResource: own(CASEWORKER, HOUSING_MANAGER),
    // The placement steps are the regional saga's (and reconciler's), which call each shard
    // with the region's SERVICE token. Coordinators act through the regional mutations
    // (offerPlacement, declinePlacement, cancelPlacement, reconcilePlacements), never on a
    // shard directly: a hold or an OFFERED request without a regional placement behind it
    // would bypass the saga, its history and its idempotency. Only the municipality's own
    // staff keep their local actions (a caseworker cancels their request, a housing manager
    // releases a booking of their unit).
    // The sending side of a placement: the request.
    createPlacementRequest: ownCaseworker,
    markPlacementRequestOffered: anywhere(SERVICE),
    reopenPlacementRequest: anywhere(SERVICE),
    markPlacementRequestAccepted: anywhere(SERVICE),
    recordMoveIn: [...own(CASEWORKER), ...anywhere(SERVICE)],
    recordPlacementEnd: [...own(CASEWORKER), ...anywhere(SERVICE)],
    cancelPlacementRequest: [...own(CASEWORKER), ...anywhere(SERVICE)],
    // The receiving side: the booking of a unit.
    holdPlaces: anywhere(SERVICE),
    confirmBooking: [...own(HOUSING_MANAGER), ...anywhere(SERVICE)],
    releaseBooking: [...own(HOUSING_MANAGER), ...anywhere(SERVICE)],
    // A culled case's finished placement: the region unlinks it from the receiving municipality's bookings.
    forgetCulledPlacement: anywhere(SERVICE),
    endBooking: [...own(HOUSING_MANAGER), ...anywhere(SERVICE)],
    releaseExpiredHolds: anywhere(SERVICE),
  },
  _Service: { sdl: 'schema' },
  Municipality: {
    code: everyRole,
    housingUnits: capacity,
    placementRequests: placementView,
    supportResources: [...own(CASEWORKER, HOUSING_MANAGER), ...anywhere(COORDINATOR)],
  },
  HousingUnit: {
    ...sameRule(capacity, [
      'id',
      'municipalityCode',
      'kind',
      'places',
      'district',
      'wheelchairAccessible',
      'suitableForChildren',
      'status',
      'freePlaces',
      'freePlaceRuns',
    ]),
    // The exact address is for the owning municipality's housing managers, and for the
    // caseworkers of a municipality with a CONFIRMED booking in the unit (the receiving
    // caseworker of a placement). Each read is audited.
    streetAddress: [
      ...own(HOUSING_MANAGER),
      ...onlyIf('of a municipality with a confirmed booking in the unit', hasConfirmedPlacementInUnit, anywhere(CASEWORKER)),
    ],
    bookings: [...own(HOUSING_MANAGER), ...anywhere(COORDINATOR, SERVICE)],
  },
  FreePlaceRun: sameRule(capacity, ['from', 'to', 'freePlaces']),
  Booking: {
    ...sameRule(
      [...own(HOUSING_MANAGER), ...anywhere(COORDINATOR, SERVICE)],
      ['id', 'municipalityCode', 'places', 'startsOn', 'endsOn', 'status', 'unit', 'placementId', 'sendingMunicipality', 'expiresAt'],
    ),
    // The reads of the address of the unit a participant was placed in, for the participant's
    // register extract: their home municipality's caseworkers, asking the receiving shard.
    addressReads: onlyIf(
      'of the municipality whose participant the placement booking is for',
      isBookingOfCallersParticipant,
      anywhere(CASEWORKER, DATA_PROTECTION_OFFICER),
    ),
  },
  ParticipantAccessDocument: sameRule(extractReaders, ['producedAt', 'municipalityCode', 'participant', 'reads']),
  // Reached only through an own participant's extract or a booking's addressReads (guarded above).
  RecordedRead: sameRule(anywhere(CASEWORKER, DATA_PROTECTION_OFFICER), [
    'municipalityCode',
    'seq',
    'occurredAt',
    'actorSub',
    'actorRoles',
    'actorMunicipality',
    'action',
    'subjectType',
    'purpose',
  ]),
  SupportResource: sameRule([...own(CASEWORKER, HOUSING_MANAGER), ...anywhere(COORDINATOR)], ['id', 'kind', 'name', 'capacity']),
  // The request in an own participant's extract too (Municipality.placementRequests stays placementView).
  PlacementRequest: sameRule(
    [...placementView, ...own(DATA_PROTECTION_OFFICER)],
    [
      'id',
      'municipalityCode',
      'caseReference',
      'status',
      'urgency',
      'earliestStart',
      'expectedDurationDays',
      'createdAt',
      'ageBand',
      'householdSize',
      'children',
      'excludedMunicipalities',
      'needsWheelchairAccess',
      'supportNeeds',
      'allowedKinds',
      'placementId',
      'waitingDays',
    ],
  ),
  // Reached by caseworkers from participants/participant, and by both from an own participant's extract.
  Participant: sameRule(extractReaders, [
    'id',
    'firstName',
    'lastName',
    'personalIdentityNumber',
    'protectedIdentity',
    'birthDate',
    'gender',
    'householdAdults',
    'householdChildren',
    'phase',
    'referralSource',
    'riskLevel',
    'excludedMunicipalities',
    'intakeDate',
    'exitDate',
    'exitOutcome',
    'responsibleCaseworker',
    'createdAt',
    'updatedAt',
    'placementRequests',
    'phaseHistory',
  ]),
  PhaseChange: sameRule(extractReaders, ['phase', 'changedAt']),
  // A protected table goes to the municipality's own analysts and, inside a round, to the region.
  StatisticsContribution: sameRule(anywhere(SERVICE), ['maskedCells', 'tables']),
  StatisticsKeys: sameRule(anywhere(SERVICE), ['own', 'known', 'sharedSecret']),
  StatisticsKeyVersion: sameRule(anywhere(SERVICE), ['version', 'fingerprint']),
  StatisticsKnownKey: sameRule(anywhere(SERVICE), ['municipalityCode', 'version', 'fingerprint']),
  MunicipalStatisticsTable: sameRule(
    [...own(ANALYST), ...anywhere(SERVICE)],
    ['dataset', 'measure', 'dimension', 'unit', 'year', 'municipalityCode', 'threshold', 'cells', 'rowTotals', 'columnTotals', 'total'],
  ),
  MunicipalStatisticsCell: sameRule([...own(ANALYST), ...anywhere(SERVICE)], ['period', 'category', 'value', 'suppressed', 'reason']),
  MunicipalStatisticsValue: sameRule([...own(ANALYST), ...anywhere(SERVICE)], ['value', 'suppressed', 'reason']),
  AuditEntry: sameRule(own(AUDITOR), [
    'seq',
    'occurredAt',
    'actorSub',
    'actorRoles',
    'actorMunicipality',
    'action',
    'subjectType',
    'subjectId',
    'purpose',
    'requestId',
    'prevHash',
    'hash',
  ]),
  AuditChainVerification: sameRule(own(AUDITOR), ['intact', 'rows', 'lastSeq', 'problems', 'verifiedAt']),
  AuditChainProblem: sameRule(own(AUDITOR), ['seq', 'problem']),
  ForgottenPlacementTraces: sameRule(anywhere(SERVICE), ['bookingsDetached', 'idempotencyRecordsRemoved', 'liveBookingsKept']),
};
