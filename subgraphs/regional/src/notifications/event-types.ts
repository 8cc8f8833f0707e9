import { Placement } from '../placements/placement.entity';
import { PlacementReason, PlacementStatus } from '../placements/placement.enums';
import { NotificationEvent } from './notification-event.entity';

/** Who must act on an event: a duty role of one municipality, or the region's coordinators. */
export type DutyRole = 'HOUSING_MANAGER' | 'CASEWORKER' | 'COORDINATOR';
export interface Recipient {
  role: DutyRole;
  /** The kommunkod; null for the region's coordinators. */
  municipality: string | null;
}

export const EVENT_TYPES = [
  'placement.offered',
  'placement.hold-lapsing',
  'placement.accepted',
  'placement.declined',
  'placement.expired',
  'placement.cancelled',
  'placement.moved-in',
  'placement.ended',
  'placement.ending-soon',
  'municipality.unavailable',
  'municipality.available',
  'reconcile.repaired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What an event says: ids the region already holds, kommunkoder, dates and counts. Never a
 * name, personnummer, address or case reference (those stay in the municipalities).
 */
export interface EventData {
  placementId?: string;
  sendingMunicipality?: string;
  receivingMunicipality?: string;
  unitId?: string;
  places?: number;
  startsOn?: string;
  endsOn?: string;
  /** When the offer's hold lapses (ISO 8601): the deadline to accept or decline. */
  deadline?: string;
  /** The coded reason of a decline or cancel. */
  reason?: string;
  /** municipality.*: which one, since when it has not answered (ISO 8601). */
  municipality?: string;
  unreachableSince?: string;
  /** reconcile.repaired: the reconciler's counts. */
  repairs?: Record<string, number>;
}

const { OFFERED, ACCEPTED, DECLINED, EXPIRED, CANCELLED, ACTIVE, ENDED } = PlacementStatus;

const PLACEMENT_MOVES: Partial<Record<PlacementStatus, EventType>> = {
  [OFFERED]: 'placement.offered',
  [ACCEPTED]: 'placement.accepted',
  [DECLINED]: 'placement.declined',
  [EXPIRED]: 'placement.expired',
  [CANCELLED]: 'placement.cancelled',
  [ACTIVE]: 'placement.moved-in',
  [ENDED]: 'placement.ended',
};

export const COORDINATORS: Recipient = { role: 'COORDINATOR', municipality: null };

/** Who gets each placement event: offers to the receiving housing duty, outcomes to the sending caseworkers' duty. */
export function recipientsOf(type: EventType, placement: Pick<Placement, 'sendingMunicipality' | 'receivingMunicipality'>): Recipient[] {
  const housing: Recipient = { role: 'HOUSING_MANAGER', municipality: placement.receivingMunicipality };
  const caseworkers: Recipient = { role: 'CASEWORKER', municipality: placement.sendingMunicipality };
  if (type === 'placement.offered' || type === 'placement.hold-lapsing') return [housing];
  if (type === 'placement.cancelled') return [caseworkers, housing]; // the offer or booking is withdrawn on both sides
  if (type.startsWith('placement.')) return [caseworkers];
  return [COORDINATORS];
}

/** The fields of a placement an event may carry. */
export function placementData(placement: Placement, extra: Pick<EventData, 'deadline' | 'reason'> = {}): EventData {
  return {
    placementId: placement.id,
    sendingMunicipality: placement.sendingMunicipality,
    receivingMunicipality: placement.receivingMunicipality,
    unitId: placement.unitId,
    places: placement.places,
    startsOn: placement.startsOn,
    endsOn: placement.endsOn,
    ...extra,
  };
}

/**
 * The event a placement's move to `to` causes, if anyone must act on it; the saga persists it
 * with the move, in the same flush (one transaction).
 */
export function placementMoveEvent(placement: Placement, to: PlacementStatus, note: string | null): NotificationEvent | null {
  const type = PLACEMENT_MOVES[to];
  if (!type) return null;
  const deadline = to === OFFERED && placement.holdExpiresAt ? placement.holdExpiresAt.toISOString() : undefined;
  // Only a coded reason, never free text: both municipalities read it.
  const reason = note && (Object.values(PlacementReason) as string[]).includes(note) ? note : undefined;
  return new NotificationEvent(type, recipientsOf(type, placement), placementData(placement, { deadline, reason }));
}
