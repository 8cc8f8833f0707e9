import type { ResultCodec } from '../idempotency/idempotency';
import type { BookingStatus } from './booking.enums';

/** What the GraphQL type reads of a booking: the entity, or the copy an idempotent mutation stored. */
export interface BookingRecord {
  id: string;
  unit: { id: string };
  places: number;
  startsOn: string;
  endsOn: string;
  status: BookingStatus;
  placementId: string | null;
  sendingMunicipality: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface StoredBooking extends Omit<BookingRecord, 'unit' | 'expiresAt' | 'createdAt' | 'updatedAt'> {
  unitId: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Stores a booking as it was when the mutation returned it. */
export const bookingCodec: ResultCodec<BookingRecord> = {
  toJson: (b): StoredBooking => ({
    id: b.id,
    unitId: b.unit.id,
    places: b.places,
    startsOn: b.startsOn,
    endsOn: b.endsOn,
    status: b.status,
    placementId: b.placementId,
    sendingMunicipality: b.sendingMunicipality,
    expiresAt: b.expiresAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  }),
  fromJson: (json) => {
    const { unitId, expiresAt, createdAt, updatedAt, ...rest } = json as StoredBooking;
    return {
      ...rest,
      unit: { id: unitId },
      expiresAt: expiresAt === null ? null : new Date(expiresAt),
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
    };
  },
};
