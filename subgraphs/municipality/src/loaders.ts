import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Booking } from './bookings/booking.entity';
import { BookingStatus } from './bookings/booking.enums';
import { HousingUnit } from './housing/housing-unit.entity';
import { freePlaceRunsOfUnits, freePlacesOfUnits, type FreePlaceRun, type Period } from './housing/free-places';
import { readRows } from './database/read-rows';
import { Participant } from './participants/participant.entity';
import type { ParticipantPhase } from './participants/participant.enums';
import { PlacementRequest } from './placement-requests/placement-request.entity';
import { isUuid } from '@sodertorn/service-kit';

/**
 * Per-request batching: an `_entities` batch of N housing units costs one SQL
 * query, not N. Missing ids resolve to null, so one bad reference fails alone.
 * `fork` gives the request's entity manager (forked when first asked for); the
 * free places are plain reads (readRows) through `reads`, which needs no fork.
 */
export function createLoaders(fork: () => EntityManager, reads: EntityManager) {
  const byId = <T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
    new DataLoader<string, T | null>(async (ids) => {
      const wellFormed = ids.filter(isUuid);
      const rows = new Map((wellFormed.length ? await load(wellFormed) : []).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    });
  const freePlacesByPeriod = new Map<string, DataLoader<string, number>>();
  const freePlaceRunsByPeriod = new Map<string, DataLoader<string, FreePlaceRun[]>>();
  const confirmedBookingsByMunicipality = new Map<string, DataLoader<string, boolean>>();
  const bookingsByPeriod = new Map<string, DataLoader<string, Booking[]>>();
  return {
    housingUnit: byId((ids) => fork().find(HousingUnit, { id: { $in: [...ids] } })),
    booking: byId((ids) => fork().find(Booking, { id: { $in: [...ids] } })),
    placementRequest: byId((ids) => fork().find(PlacementRequest, { id: { $in: [...ids] } })),
    participant: byId((ids) => fork().find(Participant, { id: { $in: [...ids] } })),
    /** Free places of many units over one period, computed in one SQL statement. */
    freePlaces(period: Period): DataLoader<string, number> {
      const key = `${period.from}/${period.to}`;
      let loader = freePlacesByPeriod.get(key);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const free = await freePlacesOfUnits(reads, unitIds.filter(isUuid), period);
          return unitIds.map((id) => free.get(id) ?? 0);
        });
        freePlacesByPeriod.set(key, loader);
      }
      return loader;
    },
    /** Free places of many units day by day over one period, as runs; one SQL statement per batch. */
    freePlaceRuns(period: Period): DataLoader<string, FreePlaceRun[]> {
      const key = `${period.from}/${period.to}`;
      let loader = freePlaceRunsByPeriod.get(key);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const runs = await freePlaceRunsOfUnits(reads, unitIds.filter(isUuid), period);
          return unitIds.map((id) => runs.get(id) ?? []);
        });
        freePlaceRunsByPeriod.set(key, loader);
      }
      return loader;
    },
    /** Bookings of many units that overlap one period, in date order; one SQL statement per batch. */
    bookingsOfUnits(period: Period): DataLoader<string, Booking[]> {
      const key = `${period.from}/${period.to}`;
      let loader = bookingsByPeriod.get(key);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const wellFormed = unitIds.filter(isUuid);
          const rows = wellFormed.length
            ? await fork().find(
                Booking,
                { unit: { $in: wellFormed }, startsOn: { $lt: period.to }, endsOn: { $gt: period.from } },
                { orderBy: { startsOn: 'asc', id: 'asc' } },
              )
            : [];
          const byUnit = groupBy(rows, (booking) => booking.unit.id);
          return unitIds.map((id) => byUnit.get(id) ?? []);
        });
        bookingsByPeriod.set(key, loader);
      }
      return loader;
    },
    /** Placement requests of many participants, newest first; one SQL statement per batch. */
    placementRequestsOfParticipant: new DataLoader<string, PlacementRequest[]>(async (participantIds) => {
      const wellFormed = participantIds.filter(isUuid);
      const rows = wellFormed.length
        ? await fork().find(PlacementRequest, { participant: { $in: wellFormed } }, { orderBy: { createdAt: 'desc', id: 'asc' } })
        : [];
      const byParticipant = groupBy(rows, (request) => request.participant.id);
      return participantIds.map((id) => byParticipant.get(id) ?? []);
    }),
    /** The phases of many participants, oldest first; one SQL statement per batch. */
    phaseHistoryOfParticipant: new DataLoader<string, PhaseChange[]>(async (participantIds) => {
      const wellFormed = participantIds.filter(isUuid);
      const rows = wellFormed.length
        ? await readRows<{ participant_id: string; phase: ParticipantPhase; changed_at: Date | string }>(
            reads,
            'select participant_id, phase, changed_at from participant_phase_change where participant_id = any(?::uuid[]) order by participant_id, id',
            [`{${wellFormed.join(',')}}`],
          )
        : [];
      const byParticipant = groupBy(rows, (row) => row.participant_id);
      return participantIds.map((id) => (byParticipant.get(id) ?? []).map((row) => ({ phase: row.phase, changedAt: new Date(row.changed_at) })));
    }),
    /** Whether a unit has a CONFIRMED booking for a participant of `sendingMunicipality`; one SQL statement per batch. */
    hasConfirmedBookingFrom(sendingMunicipality: string): DataLoader<string, boolean> {
      let loader = confirmedBookingsByMunicipality.get(sendingMunicipality);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const wellFormed = unitIds.filter(isUuid);
          const rows = wellFormed.length
            ? await fork().execute<{ unit_id: string }[]>(
                `select distinct unit_id from booking where status = ? and sending_municipality = ? and unit_id = any(?::uuid[])`,
                [BookingStatus.CONFIRMED, sendingMunicipality, `{${wellFormed.join(',')}}`],
              )
            : [];
          const units = new Set(rows.map((row) => row.unit_id));
          return unitIds.map((id) => units.has(id));
        });
        confirmedBookingsByMunicipality.set(sendingMunicipality, loader);
      }
      return loader;
    },
  };
}

/** Rows grouped by a key, each group in the rows' order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

export type Loaders = ReturnType<typeof createLoaders>;

/** A phase a participant entered, and when. */
export interface PhaseChange {
  phase: ParticipantPhase;
  changedAt: Date;
}
