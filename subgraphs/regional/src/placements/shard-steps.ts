import type { ShardClient } from './shard-client';

/** The booking fields the region keeps track of. */
export interface ShardBooking {
  id: string;
  status: string;
  placementId: string | null;
  expiresAt: string | null;
}

/** The request fields the region keeps track of (pseudonymous only). */
export interface ShardRequest {
  id: string;
  status: string;
  placementId: string | null;
}

const BOOKING = 'id status placementId expiresAt';
const REQUEST = 'id status placementId';

/**
 * The steps a placement takes on the shards, each one GraphQL mutation carrying
 * an idempotency key derived from the placement and the step, so that a retry,
 * a replay or the reconciler repeating it changes nothing twice.
 */
export class ShardSteps {
  constructor(private readonly client: ShardClient) {}

  async holdPlaces(code: string, key: string, input: { unitId: string; places: number; startsOn: string; endsOn: string; placementId: string; sendingMunicipality: string; holdMinutes: number }): Promise<ShardBooking> {
    const data = await this.client.call<{ holdPlaces: ShardBooking }>(
      code,
      `mutation($code: ID, $key: String!, $input: HoldPlacesInput!) { holdPlaces(municipalityCode: $code, idempotencyKey: $key, input: $input) { ${BOOKING} } }`,
      { code, key, input },
    );
    return data.holdPlaces;
  }

  confirmBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return this.bookingStep('confirmBooking', code, key, id);
  }

  releaseBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return this.bookingStep('releaseBooking', code, key, id);
  }

  async endBooking(code: string, key: string, id: string, endsOn: string): Promise<ShardBooking> {
    const data = await this.client.call<{ endBooking: ShardBooking }>(
      code,
      `mutation($code: ID, $key: String!, $id: ID!, $endsOn: LocalDate!) { endBooking(municipalityCode: $code, idempotencyKey: $key, id: $id, endsOn: $endsOn) { ${BOOKING} } }`,
      { code, key, id, endsOn },
    );
    return data.endBooking;
  }

  async markOffered(code: string, key: string, id: string, placementId: string): Promise<ShardRequest> {
    const data = await this.client.call<{ markPlacementRequestOffered: ShardRequest }>(
      code,
      `mutation($code: ID, $key: String!, $id: ID!, $placementId: ID!) { markPlacementRequestOffered(municipalityCode: $code, idempotencyKey: $key, id: $id, placementId: $placementId) { ${REQUEST} } }`,
      { code, key, id, placementId },
    );
    return data.markPlacementRequestOffered;
  }

  reopenRequest(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep('reopenPlacementRequest', code, key, id);
  }

  markAccepted(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep('markPlacementRequestAccepted', code, key, id);
  }

  recordMoveIn(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep('recordMoveIn', code, key, id);
  }

  recordEnd(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep('recordPlacementEnd', code, key, id);
  }

  /** Bookings that hold places for some placement, and requests marked offered, for the reconciler to compare. */
  async placementState(code: string, from: string, to: string): Promise<{ bookings: ShardBooking[]; requests: ShardRequest[] }> {
    const data = await this.client.call<{
      myMunicipality: { housingUnits: { bookings: ShardBooking[] }[] | null; placementRequests: ShardRequest[] | null };
    }>(
      code,
      `query($code: ID, $from: LocalDate!, $to: LocalDate!) { myMunicipality(municipalityCode: $code) {
         housingUnits(filter: { statuses: [AVAILABLE, OUT_OF_SERVICE, RETIRED] }) { bookings(from: $from, to: $to) { ${BOOKING} } }
         placementRequests(statuses: [OFFERED, ACCEPTED]) { ${REQUEST} } } }`,
      { code, from, to },
    );
    return {
      bookings: (data.myMunicipality.housingUnits ?? []).flatMap((u) => u.bookings).filter((b) => b.placementId),
      requests: data.myMunicipality.placementRequests ?? [],
    };
  }

  private async bookingStep(mutation: string, code: string, key: string, id: string): Promise<ShardBooking> {
    const data = await this.client.call<Record<string, ShardBooking>>(
      code,
      `mutation($code: ID, $key: String!, $id: ID!) { ${mutation}(municipalityCode: $code, idempotencyKey: $key, id: $id) { ${BOOKING} } }`,
      { code, key, id },
    );
    return data[mutation]!;
  }

  private async requestStep(mutation: string, code: string, key: string, id: string): Promise<ShardRequest> {
    const data = await this.client.call<Record<string, ShardRequest>>(
      code,
      `mutation($code: ID, $key: String!, $id: ID!) { ${mutation}(municipalityCode: $code, idempotencyKey: $key, id: $id) { ${REQUEST} } }`,
      { code, key, id },
    );
    return data[mutation]!;
  }
}
