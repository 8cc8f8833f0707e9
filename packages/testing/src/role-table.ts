import { Role } from '@sodertorn/auth';

/**
 * The role table as data, written from what docs/roles.md promises ("Roles: who sees what",
 * "Placements", "Statistics for BI tools") and DESIGN.md's "Who uses it" — never from the
 * access policies. Tests compare the policies with it field by field and derive the expected
 * answers of the authorization matrices from it, so a change to either side alone fails.
 *
 * Two tables: what each kind of data or action is and who may reach it (`WHO_MAY`), and which
 * kind each field of each subgraph is (`FIELD_KINDS`). A field missing from the second is
 * refused to everyone here, as in the policies.
 */

/**
 * `own`: staff of the municipality whose data it is. `any`: from anywhere in the region.
 * `party`: staff of a municipality taking part in the placement — the regional field lets any
 * municipality's staff through and its resolver narrows to the placement's parties.
 * `{ onlyIf }`: from anywhere, but only where the README's condition holds for the object.
 */
export type Reach = 'own' | 'any' | 'party' | { onlyIf: string };

const { CASEWORKER, HOUSING_MANAGER, COORDINATOR, ANALYST, AUDITOR, SERVICE, DATA_PROTECTION_OFFICER, RETENTION_SERVICE } = Role;
/** Every role but a municipality's culling job, which reaches its one mutation and nothing else (docs/roles.md). */
const everyRole = (reach: Reach): Partial<Record<Role, Reach>> =>
  Object.fromEntries(
    Object.values(Role)
      .filter((role) => role !== RETENTION_SERVICE)
      .map((role) => [role, reach]),
  );

/** Who may reach each kind of data or action, and of which municipality. */
export const WHO_MAY = {
  /** "The only thing a deployment answers without a token is its SDL." */
  sdl: 'public',
  /** The federation entry every region-wide read goes through; each field below has its own kind. */
  entities: everyRole('any'),
  /** The registry of members (codes and names): reference data, and the way into every region-wide read. */
  members: everyRole('any'),
  /** "Root fields address the caller's own municipality; `municipalityCode` names another one where the role allows it (coordinators)." */
  municipalityEntry: { [CASEWORKER]: 'own', [HOUSING_MANAGER]: 'own', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** Units and free places without addresses: "regional capacity" for staff, "capacity everywhere" for coordinators and the service. */
  capacity: { [CASEWORKER]: 'any', [HOUSING_MANAGER]: 'any', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** "Own units in full, street address too"; the sending caseworker only while the booking is confirmed. */
  address: { [HOUSING_MANAGER]: 'own', [CASEWORKER]: { onlyIf: 'a confirmed booking of their municipality in the unit' } },
  /** "Own units … with bookings"; coordinators see "capacity everywhere with bookings"; the saga holds and reads them. */
  bookings: { [HOUSING_MANAGER]: 'own', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** "Own support resources" (caseworkers and housing managers); coordinators "support resources anywhere". */
  supportResources: { [CASEWORKER]: 'own', [HOUSING_MANAGER]: 'own', [COORDINATOR]: 'any' },
  /** "Own participants in full": their caseworkers and no one else. */
  participants: { [CASEWORKER]: 'own' },
  /** A participant's data wherever it is reached: their caseworkers, and "an own participant's register extract" for `DATA_PROTECTION_OFFICER`. */
  participantRecord: { [CASEWORKER]: 'own', [DATA_PROTECTION_OFFICER]: 'own' },
  /** "Own placement requests"; coordinators and the service see them pseudonymously. */
  placementRequests: { [CASEWORKER]: 'own', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** A request itself: as above, and in "an own participant's register extract" (`DATA_PROTECTION_OFFICER`). */
  placementRequestRecord: { [CASEWORKER]: 'own', [DATA_PROTECTION_OFFICER]: 'own', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** "The own municipality's audit log", and nothing else reads it. */
  auditLog: { [AUDITOR]: 'own' },
  /** "An own participant's register extract (`accessRequest`)": their caseworkers, who see the participant in full anyway. */
  accessRequest: { [CASEWORKER]: 'own', [DATA_PROTECTION_OFFICER]: 'own' },
  /**
   * "The reads of their placed unit's address that the receiving municipality recorded (`Booking.addressReads`,
   * only for a placement booking of their municipality's participant)".
   */
  placementAddressReads: {
    [CASEWORKER]: { onlyIf: "a placement booking for their municipality's participant" },
    [DATA_PROTECTION_OFFICER]: { onlyIf: "a placement booking for their municipality's participant" },
  },
  /** The reads an extract lists: reached only through the two kinds above, which are the guard. */
  recordedReads: { [CASEWORKER]: 'any', [DATA_PROTECTION_OFFICER]: 'any' },
  /** A statistics round: the region asks every member "with its SERVICE token". */
  statisticsRound: { [SERVICE]: 'any' },
  /** "A municipality's own analyst … gets its own table" (`ownStatistics`). */
  ownStatistics: { [ANALYST]: 'own' },
  /** That table: for the own analysts, and sent to the region inside a round, protected. */
  ownStatisticsTable: { [ANALYST]: 'own', [SERVICE]: 'any' },
  /** Register and update participants: their own caseworkers. */
  participantWrite: { [CASEWORKER]: 'own' },
  /** "Register and change own units": the own housing managers. */
  unitWrite: { [HOUSING_MANAGER]: 'own' },
  /** Own support resources are kept by the staff who see them. */
  supportResourceWrite: { [CASEWORKER]: 'own', [HOUSING_MANAGER]: 'own' },
  /** "Ask for housing: caseworker of the sending municipality." */
  requestCreate: { [CASEWORKER]: 'own' },
  /** "Only its SERVICE token may take a shard's placement steps"; coordinators get FORBIDDEN. */
  sagaStep: { [SERVICE]: 'any' },
  /** The sending side's steps on an own request: the saga's, and the own caseworkers' local actions. */
  sendingSideStep: { [CASEWORKER]: 'own', [SERVICE]: 'any' },
  /** The receiving side's steps on a booking of an own unit: the saga's, and the own housing managers' local actions. */
  receivingSideStep: { [HOUSING_MANAGER]: 'own', [SERVICE]: 'any' },
  /** "Follow: all parties" — own placements of caseworkers and housing managers; the coordinators all; the service, pseudonymous; "the placements of their municipality's participants" for DATA_PROTECTION_OFFICER. */
  placements: { [CASEWORKER]: 'party', [HOUSING_MANAGER]: 'party', [DATA_PROTECTION_OFFICER]: 'party', [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** Proposals and ranked units: the coordinators' matching, over capacity and pseudonymous requests. */
  matching: { [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** "Offer a unit: coordinator." */
  offer: { [COORDINATOR]: 'any' },
  /** "Accept: housing manager of the receiving municipality." */
  accept: { [HOUSING_MANAGER]: 'party' },
  /** "Decline: housing manager of the receiving municipality", and coordinators. */
  decline: { [HOUSING_MANAGER]: 'party', [COORDINATOR]: 'any' },
  /** "Record the move-in: caseworker of the sending municipality." */
  moveIn: { [CASEWORKER]: 'party' },
  /** "End: either side or a coordinator." */
  end: { [CASEWORKER]: 'party', [HOUSING_MANAGER]: 'party', [COORDINATOR]: 'any' },
  /** "Cancel before the move-in: coordinator or the sending caseworker." */
  cancel: { [COORDINATOR]: 'any', [CASEWORKER]: 'party' },
  /** "Repair: coordinator (also every RECONCILE_INTERVAL_MS, and `npm run reconcile`)", which uses the service token. */
  reconcile: { [COORDINATOR]: 'any', [SERVICE]: 'any' },
  /** Released statistics: "role ANALYST or COORDINATOR". */
  regionalStatistics: { [ANALYST]: 'any', [COORDINATOR]: 'any' },
  /** "The region's coordinators read" the release log. */
  releaseLog: { [COORDINATOR]: 'any' },
  /** "A coordinator makes a new release explicitly (`releaseStatistics(year)`)" (docs/statistics.md). */
  statisticsRelease: { [COORDINATOR]: 'any' },
  /** "A municipality's culling job asks the region to forget its culled cases' placements"; the resolver narrows it to its own municipality's requests. */
  retentionForget: { [RETENTION_SERVICE]: 'any' },
  /** "…and the region, with its SERVICE token, unlinks the placement from the receiving municipality's bookings." */
  retentionUnlink: { [SERVICE]: 'any' },
} as const satisfies Record<string, Partial<Record<Role, Reach>> | 'public'>;

export type Kind = keyof typeof WHO_MAY;

/** A type's kind, the same for every field, or the kind of each field. */
type TypeKinds = Kind | Readonly<Record<string, Kind>>;

const each = (kind: Kind, fields: readonly string[]): Record<string, Kind> => Object.fromEntries(fields.map((field) => [field, kind]));

/** Which kind each field of each subgraph is. */
export const FIELD_KINDS: Record<Subgraph, Readonly<Record<string, TypeKinds>>> = {
  municipal: {
    Query: {
      _service: 'sdl',
      _entities: 'entities',
      myMunicipality: 'municipalityEntry',
      ...each('participants', ['participants', 'participant']),
      ...each('auditLog', ['auditLog', 'auditChainVerification']),
      accessRequest: 'accessRequest',
      ...each('statisticsRound', ['statisticsKeys', 'statisticsReadiness', 'statisticsContribution']),
      ownStatistics: 'ownStatistics',
    },
    Mutation: {
      ...each('participantWrite', ['registerParticipant', 'updateParticipant']),
      ...each('unitWrite', ['registerHousingUnit', 'updateHousingUnit']),
      ...each('supportResourceWrite', ['registerSupportResource', 'updateSupportResource']),
      createPlacementRequest: 'requestCreate',
      ...each('sagaStep', ['markPlacementRequestOffered', 'reopenPlacementRequest', 'markPlacementRequestAccepted', 'holdPlaces', 'releaseExpiredHolds']),
      ...each('sendingSideStep', ['recordMoveIn', 'recordPlacementEnd', 'cancelPlacementRequest']),
      ...each('receivingSideStep', ['confirmBooking', 'releaseBooking', 'endBooking']),
      forgetCulledPlacement: 'retentionUnlink',
    },
    _Service: 'sdl',
    Municipality: { code: 'members', housingUnits: 'capacity', placementRequests: 'placementRequests', supportResources: 'supportResources' },
    HousingUnit: {
      ...each('capacity', [
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
      streetAddress: 'address',
      bookings: 'bookings',
    },
    Booking: {
      ...each('bookings', ['id', 'municipalityCode', 'places', 'startsOn', 'endsOn', 'status', 'unit', 'placementId', 'sendingMunicipality', 'expiresAt']),
      addressReads: 'placementAddressReads',
    },
    ParticipantAccessDocument: 'accessRequest',
    RecordedRead: 'recordedReads',
    FreePlaceRun: 'capacity',
    SupportResource: 'supportResources',
    PlacementRequest: 'placementRequestRecord',
    Participant: 'participantRecord',
    PhaseChange: 'participantRecord',
    AuditEntry: 'auditLog',
    AuditChainVerification: 'auditLog',
    AuditChainProblem: 'auditLog',
    ForgottenPlacementTraces: 'retentionUnlink',
    StatisticsContribution: 'statisticsRound',
    StatisticsKeys: 'statisticsRound',
    StatisticsKeyVersion: 'statisticsRound',
    StatisticsKnownKey: 'statisticsRound',
    MunicipalStatisticsTable: 'ownStatisticsTable',
    MunicipalStatisticsCell: 'ownStatisticsTable',
    MunicipalStatisticsValue: 'ownStatisticsTable',
  },
  regional: {
    Query: {
      _service: 'sdl',
      _entities: 'entities',
      region: 'members',
      ...each('placements', ['placements', 'placement']),
      ...each('matching', ['proposePlacements', 'bestUnitsFor']),
      ...each('regionalStatistics', ['statistics', 'statisticsDatasets']),
      statisticsReleases: 'releaseLog',
    },
    Mutation: {
      forgetCulledPlacementRequests: 'retentionForget',
      offerPlacement: 'offer',
      acceptPlacement: 'accept',
      declinePlacement: 'decline',
      recordPlacementMoveIn: 'moveIn',
      endPlacement: 'end',
      cancelPlacement: 'cancel',
      reconcilePlacements: 'reconcile',
      releaseStatistics: 'statisticsRelease',
    },
    _Service: 'sdl',
    Region: 'members',
    Municipality: 'members',
    // The pseudonymous references a placement holds, resolved in full by the owning shards.
    Placement: 'placements',
    PlacementEvent: 'placements',
    PlacementRequest: 'placements',
    HousingUnit: 'placements',
    Booking: 'placements',
    PlacementProposals: 'matching',
    PlacementProposal: 'matching',
    RankedUnit: 'matching',
    ScoreParts: 'matching',
    UnmatchedPlacementRequest: 'matching',
    ReconcileReport: 'reconcile',
    CulledPlacementTraces: 'retentionForget',
    StatisticsTable: 'regionalStatistics',
    StatisticsValue: 'regionalStatistics',
    StatisticsCell: 'regionalStatistics',
    StatisticsRow: 'regionalStatistics',
    MissingMunicipality: 'regionalStatistics',
    StatisticsDatasetInfo: 'regionalStatistics',
    StatisticsReleaseEntry: 'releaseLog',
  },
};

export type Subgraph = 'municipal' | 'regional';

/** A caller as the role table sees it: the token's roles and municipality, if any. */
export interface TableCaller {
  roles: readonly Role[];
  municipality?: string;
}

/** The kind of `type.field` in a subgraph, or undefined where the table has none (refused to all). */
export function kindOf(subgraph: Subgraph, type: string, field: string): Kind | undefined {
  const kinds = FIELD_KINDS[subgraph][type];
  return typeof kinds === 'string' ? kinds : kinds?.[field];
}

/**
 * Whether the role table lets this caller (undefined: no token) reach `type.field` of the
 * municipality `owner` outright, without a condition on the object.
 */
export function tableAllows(subgraph: Subgraph, caller: TableCaller | undefined, owner: string | undefined, type: string, field: string): boolean {
  const kind = kindOf(subgraph, type, field);
  if (kind === undefined) return false;
  const who = WHO_MAY[kind];
  if (who === 'public') return true;
  if (!caller) return false;
  return caller.roles.some((role) => {
    const reach: Reach | undefined = (who as Partial<Record<Role, Reach>>)[role];
    if (reach === 'any' || reach === 'party') return true;
    if (reach === 'own') return caller.municipality !== undefined && caller.municipality === owner;
    return false;
  });
}

/** The roles the table lets reach `type.field` only under a condition on the object. */
export function conditionalRoles(subgraph: Subgraph, type: string, field: string): Role[] {
  const kind = kindOf(subgraph, type, field);
  const who = kind === undefined ? 'public' : WHO_MAY[kind];
  if (who === 'public') return [];
  return (Object.entries(who) as [Role, Reach][]).filter(([, reach]) => typeof reach === 'object').map(([role]) => role);
}
