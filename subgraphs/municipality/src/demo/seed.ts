import type { EntityManager } from '@mikro-orm/postgresql';
import { Booking } from '../bookings/booking.entity';
import { BookingStatus } from '../bookings/booking.enums';
import { HousingUnit } from '../housing/housing-unit.entity';
import { HousingUnitKind, HousingUnitStatus } from '../housing/housing-unit.enums';
import { ExitOutcome, Gender, ParticipantPhase, ReferralSource, RiskLevel } from '../participants/participant.enums';
import { Participant } from '../participants/participant.entity';
import { luhnCheckDigit } from '../participants/personal-identity-number';
import { PlacementRequest, type NewPlacementRequest } from '../placement-requests/placement-request.entity';
import { PlacementRequestStatus, SupportNeed, Urgency } from '../placement-requests/placement-request.enums';
import { SupportResource } from '../support-resources/support-resource.entity';
import { SupportResourceKind } from '../support-resources/support-resource.enums';
import { SeededRandom } from './random';
import { addDays } from '@sodertorn/service-kit';
import { DISTRICTS, FIRST_NAMES, LAST_NAMES, MENTORS, OTHER_THREAT_AREAS, PROGRAMMES, REGION_CODES, STREETS } from './vocabulary';

export interface DemoSeedOptions {
  municipalityCode: string;
  /** Day the demo is anchored on: intakes lie before it, bookings run months past it. */
  today: string;
  /** Called after each step with how far the seed has come. */
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface DemoSeedResult {
  participants: number;
  housingUnits: number;
  bookings: number;
  seeded: boolean;
}

const STEPS = 4;

/**
 * Fills an empty municipal database with deterministic, synthetic demo data:
 * 20–60 participants, 5–15 housing units with bookings across the coming
 * months, support resources and a few placement requests. Names come from
 * common-name lists, addresses are invented ("Demogatan"), and every
 * personnummer uses a birth number from 980–999 with a valid check digit.
 * Does nothing if the database already holds participants.
 */
export async function seedDemoMunicipality(em: EntityManager, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const { municipalityCode, today } = options;
  const progress = (done: number, step: string) => options.onProgress?.(done, STEPS, step);
  if ((await em.count(Participant)) > 0) return { participants: 0, housingUnits: 0, bookings: 0, seeded: false };
  const random = new SeededRandom(`sodertorn-demo-${municipalityCode}`);
  // Ids come from their own sequence: the same demo ids on every machine, even if the data generation changes.
  const ids = new SeededRandom(`sodertorn-demo-ids-${municipalityCode}`);
  const withId = <T extends { id: string }>(entity: T): T => Object.assign(entity, { id: ids.uuid() });
  // Needs profiles from their own sequence too, so adding them changed none of the other demo data.
  const needs = new SeededRandom(`sodertorn-demo-needs-${municipalityCode}`);

  return em.transactional(async (tx) => {
    const participants = Array.from({ length: random.int(20, 60) }, () => withId(demoParticipant(random, municipalityCode, today)));
    tx.persist(participants);
    progress(1, 'participants');

    const units = Array.from({ length: random.int(5, 15) }, () => withId(demoHousingUnit(random, municipalityCode)));
    tx.persist(units);
    progress(2, 'housing units');

    const bookings = units.flatMap((unit) => demoBookings(random, unit, today)).map(withId);
    tx.persist(bookings);
    progress(3, 'bookings');

    tx.persist(demoSupportResources(random).map(withId));
    tx.persist(
      participants
        .filter((p) => p.phase === ParticipantPhase.ACTIVE && random.chance(0.3))
        .map((p) => {
          const request = new PlacementRequest(p, {
            urgency: random.pick([Urgency.IMMEDIATE, Urgency.HIGH, Urgency.NORMAL]),
            earliestStart: addDays(today, random.int(0, 14)),
            expectedDurationDays: random.int(30, 180),
            ...demoNeeds(needs, p),
          });
          request.status = PlacementRequestStatus.OPEN;
          return withId(request);
        }),
    );
    await tx.flush();
    progress(4, 'support resources and placement requests');
    return { participants: participants.length, housingUnits: units.length, bookings: bookings.length, seeded: true };
  });
}

/** Allowed unit kinds (never empty), support needs and accessibility of a demo request. */
function demoNeeds(random: SeededRandom, participant: Participant): Pick<NewPlacementRequest, 'allowedKinds' | 'supportNeeds' | 'needsWheelchairAccess'> {
  const kinds = Object.values(HousingUnitKind).filter(() => random.chance(0.6));
  const supportNeeds = Object.values(SupportNeed).filter((need) => (need !== SupportNeed.CHILDCARE || participant.householdChildren > 0) && random.chance(0.3));
  return {
    allowedKinds: kinds.length ? kinds : [random.pick([HousingUnitKind.PROTECTED, HousingUnitKind.TRAINING_FLAT])],
    supportNeeds,
    needsWheelchairAccess: random.chance(0.1),
  };
}

function demoParticipant(random: SeededRandom, municipalityCode: string, today: string): Participant {
  const gender = random.chance(0.12) ? Gender.FEMALE : random.chance(0.03) ? Gender.OTHER : Gender.MALE;
  const birthDate = addDays(today, -random.int(16 * 365, 45 * 365));
  const intakeDate = addDays(today, -random.int(0, 3 * 365));
  const phase = random.pick([
    ParticipantPhase.INTAKE,
    ParticipantPhase.ASSESSMENT,
    ParticipantPhase.ACTIVE,
    ParticipantPhase.ACTIVE,
    ParticipantPhase.PLACED,
    ParticipantPhase.COMPLETED,
    ParticipantPhase.DISCONTINUED,
  ]);
  const participant = new Participant({
    firstName: random.pick(FIRST_NAMES[gender]),
    lastName: random.pick(LAST_NAMES),
    personalIdentityNumber: syntheticPersonalIdentityNumber(random, birthDate),
    protectedIdentity: random.chance(0.15),
    birthDate,
    gender,
    householdAdults: random.chance(0.8) ? 1 : 2,
    householdChildren: random.chance(0.7) ? 0 : random.int(1, 3),
    referralSource: random.pick(Object.values(ReferralSource)),
    riskLevel: random.pick(Object.values(RiskLevel)),
    excludedMunicipalities: [...new Set([municipalityCode, random.pick(REGION_CODES), random.pick(OTHER_THREAT_AREAS)])],
    intakeDate,
    responsibleCaseworker: `caseworker-${municipalityCode}-${random.int(1, 4)}`,
  });
  participant.phase = phase;
  if (phase === ParticipantPhase.COMPLETED || phase === ParticipantPhase.DISCONTINUED) {
    const exitDate = addDays(intakeDate, random.int(30, 300));
    participant.exitDate = exitDate < today ? exitDate : today;
    participant.exitOutcome = phase === ParticipantPhase.COMPLETED ? ExitOutcome.COMPLETED : random.pick([ExitOutcome.DISCONTINUED, ExitOutcome.RELAPSE]);
  }
  return participant;
}

/** YYYYMMDD + a birth number 980–999 + a Luhn check digit: valid in form, obviously synthetic. */
function syntheticPersonalIdentityNumber(random: SeededRandom, birthDate: string): string {
  const yyyymmdd = birthDate.replaceAll('-', '');
  const birthNumber = String(random.int(980, 999));
  return `${yyyymmdd}${birthNumber}${luhnCheckDigit(`${yyyymmdd.slice(2)}${birthNumber}`)}`;
}

function demoHousingUnit(random: SeededRandom, municipalityCode: string): HousingUnit {
  const kind = random.pick([
    HousingUnitKind.PROTECTED,
    HousingUnitKind.PROTECTED,
    HousingUnitKind.TRAINING_FLAT,
    HousingUnitKind.TRAINING_FLAT,
    HousingUnitKind.EMERGENCY,
    HousingUnitKind.SUPPORTED,
  ]);
  const unit = new HousingUnit({
    kind,
    places: kind === HousingUnitKind.EMERGENCY ? random.int(2, 6) : kind === HousingUnitKind.SUPPORTED ? random.int(3, 8) : random.int(1, 4),
    district: random.pick(DISTRICTS[municipalityCode] ?? ['Centrum']),
    streetAddress: `${random.pick(STREETS)} ${random.int(1, 120)}`,
    wheelchairAccessible: random.chance(0.25),
    suitableForChildren: random.chance(0.4),
  });
  if (random.chance(0.07)) unit.status = HousingUnitStatus.OUT_OF_SERVICE;
  return unit;
}

/** Back-to-back stays per place from two months ago to half a year ahead, never over the unit's places. */
function demoBookings(random: SeededRandom, unit: HousingUnit, today: string): Booking[] {
  const bookings: Booking[] = [];
  for (let place = 0; place < unit.places; place++) {
    let day = addDays(today, -random.int(0, 60));
    const horizon = addDays(today, 180);
    while (day < horizon) {
      day = addDays(day, random.chance(0.5) ? random.int(0, 7) : random.int(20, 75)); // a gap between stays
      const end = addDays(day, random.int(14, 120));
      if (day >= horizon) break;
      const status = end <= today ? BookingStatus.ENDED : day > today && random.chance(0.2) ? BookingStatus.HELD : BookingStatus.CONFIRMED;
      bookings.push(new Booking(unit, 1, day, end, random.chance(0.05) ? BookingStatus.RELEASED : status));
      day = end;
    }
  }
  return bookings;
}

function demoSupportResources(random: SeededRandom): SupportResource[] {
  const mentors = Array.from({ length: random.int(1, 3) }, (_, i) => new SupportResource(SupportResourceKind.MENTOR, MENTORS[i]!, random.int(2, 6)));
  const programmes = Array.from({ length: random.int(1, 3) }, (_, i) => new SupportResource(SupportResourceKind.PROGRAMME, PROGRAMMES[i]!, random.int(5, 20)));
  return [...mentors, ...programmes];
}
