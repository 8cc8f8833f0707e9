import type { Language } from './access-request-html';

/**
 * The extract is handed to the person it is about: its values in words, not the API's codes, and
 * its moments in Swedish time. The words are the web app's (web/src/locales), which the gateway
 * cannot import (a browser bundle's sources); a code without a word is shown as it is.
 */
type Words = Record<string, string>;

const STATUS: Record<Language, Words> = {
  sv: {
    DRAFT: 'Utkast',
    OPEN: 'Öppen',
    MATCHED: 'Matchad',
    PENDING_OFFER: 'Erbjudande förbereds',
    OFFERED: 'Erbjuden',
    ACCEPTED: 'Accepterad',
    ACTIVE: 'Pågående',
    ENDED: 'Avslutad',
    DECLINED: 'Avböjd',
    EXPIRED: 'Förfallen',
    CANCELLED: 'Avbruten',
    FAILED: 'Misslyckad',
  },
  en: {
    DRAFT: 'Draft',
    OPEN: 'Open',
    MATCHED: 'Matched',
    PENDING_OFFER: 'Offer being prepared',
    OFFERED: 'Offered',
    ACCEPTED: 'Accepted',
    ACTIVE: 'Ongoing',
    ENDED: 'Ended',
    DECLINED: 'Declined',
    EXPIRED: 'Expired',
    CANCELLED: 'Cancelled',
    FAILED: 'Failed',
  },
};

/** Words for the values of each field of the extract, by the field's name. */
const FIELD_WORDS: Record<Language, Record<string, Words>> = {
  sv: {
    gender: { FEMALE: 'Kvinna', MALE: 'Man', OTHER: 'Annat' },
    phase: { INTAKE: 'Inskrivning', ASSESSMENT: 'Utredning', ACTIVE: 'Aktiv', PLACED: 'Placerad', COMPLETED: 'Avslutad', DISCONTINUED: 'Avbruten' },
    referralSource: { POLICE: 'Polisen', SOCIAL_SERVICES: 'Socialtjänsten', PRISON_AND_PROBATION: 'Kriminalvården', SELF: 'Deltagaren själv', OTHER: 'Annan' },
    riskLevel: { LOW: 'Låg', MEDIUM: 'Medel', HIGH: 'Hög' },
    exitOutcome: { COMPLETED: 'Fullföljt', DISCONTINUED: 'Avbrutit', RELAPSE: 'Återfall' },
    urgency: { IMMEDIATE: 'Omedelbar', HIGH: 'Hög', NORMAL: 'Normal' },
    allowedKinds: { PROTECTED: 'Skyddat boende', TRAINING_FLAT: 'Träningslägenhet', EMERGENCY: 'Akutplats', SUPPORTED: 'Stödboende' },
    supportNeeds: {
      MENTOR: 'Mentor',
      COUNSELLING: 'Samtalsstöd',
      ADDICTION_CARE: 'Missbruksvård',
      WORK_OR_STUDIES: 'Arbete eller studier',
      CHILDCARE: 'Barnomsorg',
    },
    status: STATUS.sv,
    actorRoles: {
      CASEWORKER: 'handläggare',
      HOUSING_MANAGER: 'boendeansvarig',
      COORDINATOR: 'regional samordnare',
      ANALYST: 'analytiker',
      AUDITOR: 'granskare',
      DATA_PROTECTION_OFFICER: 'dataskydd',
      SERVICE: 'tjänst',
      RETENTION_SERVICE: 'gallringstjänst',
    },
    note: {
      UNIT_NOT_AVAILABLE: 'Boendet är inte tillgängligt',
      UNIT_NOT_SUITABLE: 'Boendet passar inte',
      SAFETY: 'Säkerhetsskäl',
      PARTICIPANT_DECLINED: 'Deltagaren tackade nej',
      NO_LONGER_NEEDED: 'Behövs inte längre',
      OTHER_SOLUTION_FOUND: 'Annan lösning har hittats',
      OTHER: 'Annat skäl',
    },
  },
  en: {
    gender: { FEMALE: 'Female', MALE: 'Male', OTHER: 'Other' },
    phase: { INTAKE: 'Intake', ASSESSMENT: 'Assessment', ACTIVE: 'Active', PLACED: 'Placed', COMPLETED: 'Completed', DISCONTINUED: 'Discontinued' },
    referralSource: {
      POLICE: 'Police',
      SOCIAL_SERVICES: 'Social services',
      PRISON_AND_PROBATION: 'Prison and Probation Service',
      SELF: 'The participant',
      OTHER: 'Other',
    },
    riskLevel: { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' },
    exitOutcome: { COMPLETED: 'Completed', DISCONTINUED: 'Discontinued', RELAPSE: 'Relapse' },
    urgency: { IMMEDIATE: 'Immediate', HIGH: 'High', NORMAL: 'Normal' },
    allowedKinds: { PROTECTED: 'Protected housing', TRAINING_FLAT: 'Training flat', EMERGENCY: 'Emergency place', SUPPORTED: 'Supported housing' },
    supportNeeds: {
      MENTOR: 'Mentor',
      COUNSELLING: 'Counselling',
      ADDICTION_CARE: 'Addiction care',
      WORK_OR_STUDIES: 'Work or studies',
      CHILDCARE: 'Childcare',
    },
    status: STATUS.en,
    actorRoles: {
      CASEWORKER: 'caseworker',
      HOUSING_MANAGER: 'housing manager',
      COORDINATOR: 'regional coordinator',
      ANALYST: 'analyst',
      AUDITOR: 'auditor',
      DATA_PROTECTION_OFFICER: 'data protection officer',
      SERVICE: 'service',
      RETENTION_SERVICE: 'retention service',
    },
    note: {
      UNIT_NOT_AVAILABLE: 'The unit is not available',
      UNIT_NOT_SUITABLE: 'The unit does not suit',
      SAFETY: 'Safety',
      PARTICIPANT_DECLINED: 'The participant declined',
      NO_LONGER_NEEDED: 'No longer needed',
      OTHER_SOLUTION_FOUND: 'Another solution was found',
      OTHER: 'Other reason',
    },
  },
};

const YES_NO: Record<Language, [string, string]> = { sv: ['Ja', 'Nej'], en: ['Yes', 'No'] };

/** A moment (ISO 8601 with a time) as Swedish time, `2026-12-06 08:47`; both languages, so it reads the same everywhere. */
const SWEDISH_TIME = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function moment(value: string): string {
  return MOMENT.test(value) && !Number.isNaN(Date.parse(value)) ? SWEDISH_TIME.format(new Date(value)) : value;
}

/** An age band as words: `31_40` → `31–40 år`, `41_PLUS` → `41 år eller äldre`, `UNDER_18` → `under 18 år`. */
function ageBand(value: string, language: Language): string {
  const years = language === 'sv' ? 'år' : 'years';
  const band = /^(\d+)_(\d+)$/.exec(value);
  if (band) return `${band[1]}–${band[2]} ${years}`;
  const plus = /^(\d+)_PLUS$/.exec(value);
  if (plus) return language === 'sv' ? `${plus[1]} år eller äldre` : `${plus[1]} years or older`;
  const under = /^UNDER_(\d+)$/.exec(value);
  if (under) return language === 'sv' ? `under ${under[1]} år` : `under ${under[1]} years`;
  return value;
}

/** The document's fields that hold a moment; any other text (a name, say) is shown exactly as it was written. */
const MOMENT_FIELDS = new Set(['createdAt', 'updatedAt']);

/** A field's value as the extract shows it: words for codes, Ja/Nej, Swedish time; anything else as it is. */
export function inWords(field: string, value: unknown, language: Language): unknown {
  if (typeof value === 'boolean') return YES_NO[language][value ? 0 : 1];
  if (Array.isArray(value)) return value.map((v) => inWords(field, v, language));
  if (typeof value !== 'string') return value;
  if (field === 'ageBand') return ageBand(value, language);
  if (MOMENT_FIELDS.has(field)) return moment(value);
  return FIELD_WORDS[language][field]?.[value] ?? value;
}
