import { addDays, latestDate } from '@sodertorn/service-kit';
import type { ShardClient } from '@sodertorn/shard-client';
import type { DocumentNode } from 'graphql';
import { MunicipalDocuments } from '../municipal-documents';

/** The booking fields the region keeps track of. */
export interface ShardBooking {
  id: string;
  status: string;
  placementId: string | null;
  expiresAt: string | null;
  /** Day of moving out (exclusive): an ended booking occupies its places until then. */
  endsOn: string;
}

/** The request fields the region keeps track of (pseudonymous only). */
export interface ShardRequest {
  id: string;
  status: string;
  placementId: string | null;
}

/**
 * The steps a placement takes on the shards, each one GraphQL mutation carrying
 * an idempotency key derived from the placement and the step, so that a retry,
 * a replay or the reconciler repeating it changes nothing twice.
 */
export class ShardSteps {
  constructor(private readonly client: ShardClient) {}

  async holdPlaces(
    code: string,
    key: string,
    input: { unitId: string; places: number; startsOn: string; endsOn: string; placementId: string; sendingMunicipality: string; holdMinutes: number },
  ): Promise<ShardBooking> {
    const data = await this.client.request<{ holdPlaces: ShardBooking }, Record<string, unknown>>(code, MunicipalDocuments.HoldPlaces, { code, key, input });
    return data.holdPlaces;
  }

  confirmBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return this.bookingStep(MunicipalDocuments.ConfirmBooking, 'confirmBooking', code, key, id);
  }

  releaseBooking(code: string, key: string, id: string): Promise<ShardBooking> {
    return this.bookingStep(MunicipalDocuments.ReleaseBooking, 'releaseBooking', code, key, id);
  }

  async endBooking(code: string, key: string, id: string, endsOn: string): Promise<ShardBooking> {
    const data = await this.client.request<{ endBooking: ShardBooking }, Record<string, unknown>>(code, MunicipalDocuments.EndBooking, {
      code,
      key,
      id,
      endsOn,
    });
    return data.endBooking;
  }

  async markOffered(code: string, key: string, id: string, placementId: string): Promise<ShardRequest> {
    const data = await this.client.request<{ markPlacementRequestOffered: ShardRequest }, Record<string, unknown>>(
      code,
      MunicipalDocuments.MarkPlacementRequestOffered,
      { code, key, id, placementId },
    );
    return data.markPlacementRequestOffered;
  }

  reopenRequest(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep(MunicipalDocuments.ReopenPlacementRequest, 'reopenPlacementRequest', code, key, id);
  }

  markAccepted(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep(MunicipalDocuments.MarkPlacementRequestAccepted, 'markPlacementRequestAccepted', code, key, id);
  }

  recordMoveIn(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep(MunicipalDocuments.RecordMoveIn, 'recordMoveIn', code, key, id);
  }

  recordEnd(code: string, key: string, id: string): Promise<ShardRequest> {
    return this.requestStep(MunicipalDocuments.RecordPlacementEnd, 'recordPlacementEnd', code, key, id);
  }

  /**
   * Every booking of a placement from a year back to the latest date the API accepts, three years
   * ahead (two windows: the shard answers at most 731 days at once), and every request a
   * placement is using, for the reconciler to compare.
   */
  async placementState(code: string, today: string): Promise<{ bookings: ShardBooking[]; requests: ShardRequest[] }> {
    type Unit = { past: ShardBooking[]; ahead: ShardBooking[] };
    const data = await this.client.request<
      { myMunicipality: { housingUnits: Unit[] | null; placementRequests: ShardRequest[] | null } },
      Record<string, unknown>
    >(code, MunicipalDocuments.PlacementState, { code, from: addDays(today, -365), middle: addDays(today, 365), to: latestDate(today) });
    const bookings = new Map<string, ShardBooking>();
    for (const unit of data.myMunicipality.housingUnits ?? []) for (const b of [...unit.past, ...unit.ahead]) if (b.placementId) bookings.set(b.id, b);
    return { bookings: [...bookings.values()], requests: data.myMunicipality.placementRequests ?? [] };
  }

  private async bookingStep(document: DocumentNode, mutation: string, code: string, key: string, id: string): Promise<ShardBooking> {
    const data = await this.client.request<Record<string, ShardBooking>, Record<string, unknown>>(code, document, { code, key, id });
    return data[mutation]!;
  }

  private async requestStep(document: DocumentNode, mutation: string, code: string, key: string, id: string): Promise<ShardRequest> {
    const data = await this.client.request<Record<string, ShardRequest>, Record<string, unknown>>(code, document, { code, key, id });
    return data[mutation]!;
  }
}
