import { addDays, latestDate } from '@sodertorn/service-kit';
import type { ShardClient } from '@sodertorn/shard-client';
import {
  MunicipalDocuments,
  type HoldPlacesMutation,
  type HoldPlacesMutationVariables,
  type MarkPlacementRequestOfferedMutation,
} from '../municipal-documents';

/** The booking fields the region keeps track of (endsOn: the day of moving out, exclusive). */
export type ShardBooking = HoldPlacesMutation['holdPlaces'];

/** The request fields the region keeps track of (pseudonymous only). */
export type ShardRequest = MarkPlacementRequestOfferedMutation['markPlacementRequestOffered'];

/**
 * The steps a placement takes on the shards, each one GraphQL mutation carrying
 * an idempotency key derived from the placement and the step, so that a retry,
 * a replay or the reconciler repeating it changes nothing twice.
 */
export class ShardSteps {
  constructor(private readonly client: ShardClient) {}

  async holdPlaces(code: string, key: string, input: HoldPlacesMutationVariables['input'] & { holdMinutes: number }): Promise<ShardBooking> {
    return (await this.client.request(code, MunicipalDocuments.HoldPlaces, { code, key, input })).holdPlaces;
  }

  async confirmBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return (await this.client.request(code, MunicipalDocuments.ConfirmBooking, { code, key, id })).confirmBooking;
  }

  async releaseBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return (await this.client.request(code, MunicipalDocuments.ReleaseBooking, { code, key, id })).releaseBooking;
  }

  async endBooking(code: string, key: string, id: string, endsOn: string): Promise<ShardBooking> {
    return (await this.client.request(code, MunicipalDocuments.EndBooking, { code, key, id, endsOn })).endBooking;
  }

  async markOffered(code: string, key: string, id: string, placementId: string): Promise<ShardRequest> {
    return (await this.client.request(code, MunicipalDocuments.MarkPlacementRequestOffered, { code, key, id, placementId })).markPlacementRequestOffered;
  }

  async reopenRequest(code: string, key: string, id: string): Promise<ShardRequest> {
    return (await this.client.request(code, MunicipalDocuments.ReopenPlacementRequest, { code, key, id })).reopenPlacementRequest;
  }

  async markAccepted(code: string, key: string, id: string): Promise<ShardRequest> {
    return (await this.client.request(code, MunicipalDocuments.MarkPlacementRequestAccepted, { code, key, id })).markPlacementRequestAccepted;
  }

  async recordMoveIn(code: string, key: string, id: string): Promise<ShardRequest> {
    return (await this.client.request(code, MunicipalDocuments.RecordMoveIn, { code, key, id })).recordMoveIn;
  }

  async recordEnd(code: string, key: string, id: string): Promise<ShardRequest> {
    return (await this.client.request(code, MunicipalDocuments.RecordPlacementEnd, { code, key, id })).recordPlacementEnd;
  }

  /** Unlinks a culled case's finished placement from the receiving municipality's bookings and step records. */
  async forgetCulledPlacement(code: string, placementId: string) {
    return (await this.client.request(code, MunicipalDocuments.ForgetCulledPlacement, { code, placementId })).forgetCulledPlacement;
  }

  /**
   * Every booking of a placement from a year back to the latest date the API accepts, three years
   * ahead (two windows: the shard answers at most 731 days at once), and every request a
   * placement is using, for the reconciler to compare.
   */
  async placementState(code: string, today: string): Promise<{ bookings: ShardBooking[]; requests: ShardRequest[] }> {
    const data = await this.client.request(code, MunicipalDocuments.PlacementState, {
      code,
      from: addDays(today, -365),
      middle: addDays(today, 365),
      to: latestDate(today),
    });
    const bookings = new Map<string, ShardBooking>();
    // A unit's bookings are null only beside a FORBIDDEN error, and the client throws on any error.
    for (const unit of data.myMunicipality.housingUnits ?? []) for (const b of [...unit.past!, ...unit.ahead!]) if (b.placementId) bookings.set(b.id, b);
    return { bookings: [...bookings.values()], requests: data.myMunicipality.placementRequests ?? [] };
  }
}
