import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';
import { isUuid } from '@sodertorn/service-kit';
import { applyGiven, rejectNulls } from '../common/updates';
import { readRows } from '../database/read-rows';
import { freePlacesSql, type Period } from './free-places';
import { HousingUnitStatus } from './housing-unit.enums';
import { HousingUnit } from './housing-unit.entity';
import type { HousingUnitFilter, RegisterHousingUnitInput, UpdateHousingUnitInput } from './housing-unit.inputs';

/** The housing_unit columns (of `u`) under the entity's property names: what a list row holds. */
const UNIT_COLUMNS =
  'u.id, u.kind, u.places, u.district, u.street_address as "streetAddress", u.wheelchair_accessible as "wheelchairAccessible", ' +
  'u.suitable_for_children as "suitableForChildren", u.status, u.created_at as "createdAt", u.updated_at as "updatedAt"';

/** A unit of a list: a plain row, with its free places over the period asked for, if one was. */
export type UnitListRow = HousingUnit & { freePlaces?: number };

/**
 * The units a list shows, as plain rows with the entity's properties, in one parameterised
 * statement: a list is only read, so its rows need neither the identity map and change tracking
 * of managed entities nor the query builder, which together cost more CPU than the query itself.
 * Nothing here may be changed and flushed; load the entity (em.findOne) for that. With
 * `freePlacesOver`, each row holds its free places over that period too (see freePlacesSql), from
 * the same statement: a capacity overview asks for a list and its free places on every request.
 */
export async function listHousingUnits(em: EntityManager, filter: HousingUnitFilter | null | undefined, freePlacesOver?: Period): Promise<UnitListRow[]> {
  const statuses = filter?.statuses ?? [HousingUnitStatus.AVAILABLE, HousingUnitStatus.OUT_OF_SERVICE];
  const conditions = ['u.status = any(?::housing_unit_status[])'];
  const params: unknown[] = [`{${statuses.join(',')}}`];
  if (filter?.kinds) {
    conditions.push('u.kind = any(?::housing_unit_kind[])');
    params.push(`{${filter.kinds.join(',')}}`);
  }
  if (filter?.wheelchairAccessible != null) {
    conditions.push('u.wheelchair_accessible = ?');
    params.push(filter.wheelchairAccessible);
  }
  if (filter?.suitableForChildren != null) {
    conditions.push('u.suitable_for_children = ?');
    params.push(filter.suitableForChildren);
  }
  if (filter?.minPlaces != null) {
    conditions.push('u.places >= ?');
    params.push(filter.minPlaces);
  }
  const where = `where ${conditions.join(' and ')} order by u.district, u.id`;
  if (!freePlacesOver) return readRows<UnitListRow>(em, `select ${UNIT_COLUMNS} from housing_unit u ${where}`, params);
  const free = freePlacesSql(freePlacesOver);
  const rows = await readRows<UnitListRow>(em, `select ${UNIT_COLUMNS}, ${free.column} as "freePlaces" from housing_unit u ${free.join} ${where}`, [
    ...free.columnParams,
    ...free.joinParams,
    ...params,
  ]);
  for (const row of rows) row.freePlaces = Number(row.freePlaces); // a bigint, as text
  return rows;
}

export async function registerHousingUnit(em: EntityManager, input: RegisterHousingUnitInput): Promise<HousingUnit> {
  const unit = new HousingUnit(input);
  await em.persistAndFlush(unit);
  return unit;
}

/**
 * Updates a unit without stranding anyone: places cannot drop below what is
 * already booked from today on, and a unit with bookings ahead cannot retire.
 * The check and the write share one transaction, locking the unit row so a
 * booking made meanwhile cannot slip in between.
 */
export async function updateHousingUnit(em: EntityManager, id: string, input: UpdateHousingUnitInput, today: string): Promise<HousingUnit> {
  rejectNulls(input);
  return em.transactional(async (tx) => {
    if (!isUuid(id)) throw new NotFoundError('Housing unit', id);
    const unit = await tx.findOne(HousingUnit, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!unit) throw new NotFoundError('Housing unit', id);
    const problems: FieldProblem[] = [];
    if (input.places !== undefined || input.status === HousingUnitStatus.RETIRED) {
      const booked = await peakBookedPlaces(tx, id, today);
      if (input.places !== undefined && input.places < booked) {
        problems.push({ field: 'places', message: `cannot be less than ${booked}, the places already booked on some day from today on` });
      }
      if (input.status === HousingUnitStatus.RETIRED && booked > 0) {
        problems.push({ field: 'status', message: 'cannot be RETIRED while places are booked from today on; release or end those bookings first' });
      }
    }
    if (problems.length) throw new ValidationFailedError(problems);
    applyGiven(unit, input);
    return unit;
  });
}

/** The most places occupied (confirmed, or held and not expired) on any single day from `fromDate` on. */
async function peakBookedPlaces(em: EntityManager, unitId: string, fromDate: string): Promise<number> {
  // em.execute joins the caller's transaction (and its row lock); getConnection().execute would not.
  const [row] = await em.execute<{ peak: number | null }[]>(
    `select max(daily.occupied) as peak
       from (select sum(b.places) as occupied
               from booking b
               join lateral generate_series(greatest(b.starts_on, ?::date), b.ends_on - 1, interval '1 day') as day on true
              where b.unit_id = ? and booking_occupies(b.status, b.expires_at) and b.ends_on > ?::date
              group by day) as daily`,
    [fromDate, unitId, fromDate],
  );
  return Number(row?.peak ?? 0);
}
