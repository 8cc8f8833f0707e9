import type { TypedDocument } from '@sodertorn/shard-client';
import { parse } from 'graphql';
import type { AvailableUnitsQuery, MunicipalOperations } from '../generated/municipal-operations';

export type * from '../generated/municipal-operations';

/**
 * Every GraphQL document the region sends to a municipal shard, in one place:
 * the placement saga's steps and lookups, the reconciler's read, the matching
 * input and the statistics rounds. Each is a named operation, checked against
 * schema/municipality.graphql by municipal-documents.test.ts, so a change of the
 * municipal schema that breaks one fails a test rather than a placement. The
 * types of their results and variables are generated from the same schema
 * (`npm run typecheck` runs scripts/codegen.mjs into generated/), so one that
 * changes a result's shape fails the typecheck of the code that reads it.
 *
 * Only pseudonymous profiles and counts are asked for: never a name, a
 * personnummer or an address.
 */
const BOOKING = 'id status placementId expiresAt endsOn';
const REQUEST = 'id status placementId';
const REQUEST_PROFILE =
  'id municipalityCode status urgency householdSize children needsWheelchairAccess allowedKinds excludedMunicipalities earliestStart expectedDurationDays waitingDays';
const VALUE = 'value suppressed reason';
const UNIT_PROFILE = 'id municipalityCode kind status places wheelchairAccessible suitableForChildren';

/** A step on a booking or a request, by its mutation: each carries the placement step's idempotency key. */
const step = (name: string, mutation: string, fields: string) =>
  parse(`mutation ${name}($code: ID, $key: String!, $id: ID!) { ${mutation}(municipalityCode: $code, idempotencyKey: $key, id: $id) { ${fields} } }`);

/** Each document typed with its generated result and variables: the shard client's `request` infers them. */
type TypedDocuments = { readonly [K in keyof MunicipalOperations]: TypedDocument<MunicipalOperations[K][0], MunicipalOperations[K][1]> };

export const MunicipalDocuments: TypedDocuments = {
  // Lookups of one request's or unit's profile, by entity reference.
  LookUpRequest: parse(`query LookUpRequest($r: [_Any!]!) { _entities(representations: $r) { ... on PlacementRequest { ${REQUEST_PROFILE} } } }`),
  LookUpUnit: parse(`query LookUpUnit($r: [_Any!]!) { _entities(representations: $r) { ... on HousingUnit { ${UNIT_PROFILE} } } }`),

  // The placement saga's steps (shard-steps.ts).
  HoldPlaces: parse(
    `mutation HoldPlaces($code: ID, $key: String!, $input: HoldPlacesInput!) { holdPlaces(municipalityCode: $code, idempotencyKey: $key, input: $input) { ${BOOKING} } }`,
  ),
  ConfirmBooking: step('ConfirmBooking', 'confirmBooking', BOOKING),
  ReleaseBooking: step('ReleaseBooking', 'releaseBooking', BOOKING),
  EndBooking: parse(
    `mutation EndBooking($code: ID, $key: String!, $id: ID!, $endsOn: LocalDate!) { endBooking(municipalityCode: $code, idempotencyKey: $key, id: $id, endsOn: $endsOn) { ${BOOKING} } }`,
  ),
  MarkPlacementRequestOffered: parse(
    `mutation MarkPlacementRequestOffered($code: ID, $key: String!, $id: ID!, $placementId: ID!) { markPlacementRequestOffered(municipalityCode: $code, idempotencyKey: $key, id: $id, placementId: $placementId) { ${REQUEST} } }`,
  ),
  ReopenPlacementRequest: step('ReopenPlacementRequest', 'reopenPlacementRequest', REQUEST),
  MarkPlacementRequestAccepted: step('MarkPlacementRequestAccepted', 'markPlacementRequestAccepted', REQUEST),
  RecordMoveIn: step('RecordMoveIn', 'recordMoveIn', REQUEST),
  RecordPlacementEnd: step('RecordPlacementEnd', 'recordPlacementEnd', REQUEST),
  // Retention: a culled case's finished placement is unlinked from the receiving municipality's bookings.
  ForgetCulledPlacement: parse(
    `mutation ForgetCulledPlacement($code: ID, $placementId: ID!) { forgetCulledPlacement(municipalityCode: $code, placementId: $placementId) { bookingsDetached idempotencyRecordsRemoved liveBookingsKept } }`,
  ),

  // The reconciler's read: every booking of a placement over two windows, and every request in use.
  PlacementState: parse(`query PlacementState($code: ID, $from: LocalDate!, $middle: LocalDate!, $to: LocalDate!) { myMunicipality(municipalityCode: $code) {
    housingUnits(filter: { statuses: [AVAILABLE, OUT_OF_SERVICE, RETIRED] }) {
      past: bookings(from: $from, to: $middle) { ${BOOKING} } ahead: bookings(from: $middle, to: $to) { ${BOOKING} } }
    placementRequests(statuses: [OFFERED, ACCEPTED, ACTIVE]) { ${REQUEST} } } }`),

  // The matching input: open requests' profiles, and available units (their free places are asked per period: matching-input.ts).
  OpenPlacementRequests: parse(`query OpenPlacementRequests($code: ID) { myMunicipality(municipalityCode: $code) { placementRequests(statuses: [OPEN]) {
    id urgency waitingDays householdSize children needsWheelchairAccess allowedKinds excludedMunicipalities earliestStart expectedDurationDays } } }`),

  // The statistics round's phases (statistics-round.ts): keys, readiness, contribution.
  StatisticsKeys: parse(`query StatisticsKeys { statisticsKeys { own { version fingerprint } known { municipalityCode version fingerprint } sharedSecret } }`),
  StatisticsReadiness: parse(`query StatisticsReadiness($participants: [ID!]!, $keyVersions: [Int!]!, $year: Int!) {
    statisticsReadiness(participants: $participants, keyVersions: $keyVersions, year: $year)
  }`),
  StatisticsContribution: parse(`query StatisticsContribution($round: String!, $participants: [ID!]!, $keyVersions: [Int!]!, $year: Int!, $release: Int!) {
    statisticsContribution(round: $round, participants: $participants, keyVersions: $keyVersions, year: $year, release: $release) {
      maskedCells
      tables {
        dataset measure dimension unit year municipalityCode threshold
        cells { period category ${VALUE} }
        rowTotals { ${VALUE} } columnTotals { ${VALUE} } total { ${VALUE} }
      }
    }
  }`),
};

/** An available unit with its free places per period: r0, r1, … (typed from the document for one period). */
type AvailableUnit = NonNullable<AvailableUnitsQuery['myMunicipality']['housingUnits']>[number];
export type UnitWithRuns = Omit<AvailableUnit, 'r0'> & Record<`r${number}`, AvailableUnit['r0'] | undefined>;

/**
 * The available units with their free places over the periods `pieces` (aliased r0, r1, …): the
 * only document built at run time, since the number of periods (each at most MAX_PERIOD_DAYS, the
 * shards' limit) depends on the requests. Its test checks it for one to four periods.
 */
export function availableUnitsDocument(
  pieces: number,
): TypedDocument<{ myMunicipality: { housingUnits: UnitWithRuns[] | null } }, { code: string } & Record<string, string>> {
  const indices = Array.from({ length: pieces }, (_, i) => i);
  const variables = indices.map((i) => `$from${i}: LocalDate!, $to${i}: LocalDate!`).join(', ');
  const runs = indices.map((i) => `r${i}: freePlaceRuns(from: $from${i}, to: $to${i}) { from to freePlaces }`).join(' ');
  return parse(`query AvailableUnits($code: ID${variables ? `, ${variables}` : ''}) { myMunicipality(municipalityCode: $code) {
    housingUnits(filter: { statuses: [AVAILABLE] }) { id kind wheelchairAccessible suitableForChildren ${runs} } } }`);
}
