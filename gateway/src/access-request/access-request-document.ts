/**
 * A participant's register extract (GDPR article 15) as one document: the home shard's
 * `accessRequest`, joined by the gateway's own query plan with the region's placements of each
 * request and each receiving shard's reads of the placed unit's address, then flattened here so
 * that every read of every municipality is in one list. Nothing here reads a database: it is the
 * GraphQL answer, rearranged.
 */

const READ = 'municipalityCode seq occurredAt actorSub actorRoles actorMunicipality action subjectType purpose';

/** The one operation the extract runs (a trusted document of the gateway's own, see server.ts). */
export const ACCESS_REQUEST_QUERY = /* GraphQL */ `
  query AccessRequestDocument($participantId: ID!) {
    accessRequest(participantId: $participantId) {
      producedAt
      municipalityCode
      participant {
        id firstName lastName personalIdentityNumber protectedIdentity birthDate gender householdAdults householdChildren
        phase referralSource riskLevel excludedMunicipalities intakeDate exitDate exitOutcome responsibleCaseworker createdAt updatedAt
        phaseHistory { phase changedAt }
        placementRequests {
          id caseReference status urgency earliestStart expectedDurationDays createdAt ageBand householdSize children
          excludedMunicipalities needsWheelchairAccess supportNeeds allowedKinds
          placements {
            id status places startsOn endsOn createdAt
            receivingMunicipality { code name }
            history { at fromStatus toStatus actorSub note }
            booking { municipalityCode addressReads { ${READ} } }
          }
        }
      }
      reads { ${READ} }
    }
  }
`;

export interface RecordedRead {
  municipalityCode: string;
  seq: number;
  occurredAt: string;
  actorSub: string;
  actorRoles: string[];
  actorMunicipality: string | null;
  action: string;
  subjectType: string;
  purpose: string | null;
}

export interface PlacementData {
  id: string;
  status: string;
  places: number;
  startsOn: string;
  endsOn: string;
  createdAt: string;
  receivingMunicipality: { code: string; name: string } | null;
  history: { at: string; fromStatus: string | null; toStatus: string; actorSub: string; note: string | null }[];
}

export interface PlacementRequestData {
  id: string;
  caseReference: string;
  status: string;
  urgency: string;
  earliestStart: string;
  expectedDurationDays: number;
  createdAt: string;
  ageBand: string;
  householdSize: number;
  children: number;
  excludedMunicipalities: string[];
  needsWheelchairAccess: boolean;
  supportNeeds: string[];
  allowedKinds: string[];
  /** Null where the region did not answer (see `incomplete`). */
  placements: PlacementData[] | null;
}

export interface ParticipantData {
  id: string;
  firstName: string;
  lastName: string;
  personalIdentityNumber: string;
  protectedIdentity: boolean;
  birthDate: string;
  gender: string;
  householdAdults: number;
  householdChildren: number;
  phase: string;
  referralSource: string;
  riskLevel: string;
  excludedMunicipalities: string[];
  intakeDate: string;
  exitDate: string | null;
  exitOutcome: string | null;
  responsibleCaseworker: string;
  createdAt: string;
  updatedAt: string;
  /** Each phase entered and when, oldest first. */
  phaseHistory: { phase: string; changedAt: string }[];
}

/** The extract as the route answers it in JSON, and as the HTML rendering shows it. */
export interface AccessRequestDocument {
  producedAt: string;
  /** Kommunkod of the home municipality. */
  municipalityCode: string;
  participant: ParticipantData;
  placementRequests: PlacementRequestData[];
  /** Every recorded read, of every municipality that recorded one, oldest first. */
  reads: RecordedRead[];
  /** Parts that could not be fetched (a municipality or the region did not answer): the extract is then not complete. */
  incomplete: string[];
}

interface AnswerPlacement extends PlacementData {
  booking: { municipalityCode: string; addressReads: RecordedRead[] | null } | null;
}
interface AnswerRequest extends Omit<PlacementRequestData, 'placements'> {
  placements: AnswerPlacement[] | null;
}
/** The `accessRequest` field of the GraphQL answer. */
export interface AccessRequestAnswer {
  producedAt: string;
  municipalityCode: string;
  participant: ParticipantData & { placementRequests: AnswerRequest[] };
  reads: RecordedRead[];
}

const byTime = (a: RecordedRead, b: RecordedRead) =>
  a.occurredAt.localeCompare(b.occurredAt) || a.municipalityCode.localeCompare(b.municipalityCode) || a.seq - b.seq;

/** Flattens the answer: the reads of every municipality in one list, the placements without their booking references. */
export function accessRequestDocument(answer: AccessRequestAnswer, errors: readonly { message: string }[] = []): AccessRequestDocument {
  const { placementRequests, ...participant } = answer.participant;
  const reads = [...answer.reads];
  const requests = placementRequests.map(({ placements, ...request }) => ({
    ...request,
    placements:
      placements?.map(({ booking, ...placement }) => {
        reads.push(...(booking?.addressReads ?? []));
        return placement;
      }) ?? null,
  }));
  return {
    producedAt: answer.producedAt,
    municipalityCode: answer.municipalityCode,
    participant,
    placementRequests: requests,
    reads: reads.sort(byTime),
    incomplete: [...new Set(errors.map((error) => error.message))],
  };
}
