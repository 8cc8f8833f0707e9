import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, ValidationFailedError, type FieldProblem } from '@sodertorn/service-kit';
import { isUuid } from '@sodertorn/service-kit';
import { applyGiven, rejectNulls } from '../common/updates';
import { HousingUnitStatus } from './housing-unit.enums';
import { HousingUnit } from './housing-unit.entity';
import type { HousingUnitFilter, RegisterHousingUnitInput, UpdateHousingUnitInput } from './housing-unit.inputs';

export async function listHousingUnits(em: EntityManager, filter: HousingUnitFilter | null | undefined): Promise<HousingUnit[]> {
  const where: FilterQuery<HousingUnit> = {
    status: { $in: filter?.statuses ?? [HousingUnitStatus.AVAILABLE, HousingUnitStatus.OUT_OF_SERVICE] },
  };
  if (filter?.kinds) where.kind = { $in: filter.kinds };
  if (filter?.wheelchairAccessible != null) where.wheelchairAccessible = filter.wheelchairAccessible;
  if (filter?.suitableForChildren != null) where.suitableForChildren = filter.suitableForChildren;
  if (filter?.minPlaces != null) where.places = { $gte: filter.minPlaces };
  return em.find(HousingUnit, where, { orderBy: { district: 'asc', id: 'asc' } });
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
