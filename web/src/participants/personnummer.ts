/**
 * The web app's early check of a personnummer (or samordningsnummer, day + 60), before anything is
 * sent: the same rules as the API's (subgraphs/municipality/src/participants/personal-identity-number.ts),
 * which stays the judge. Answers the problem's message key, or null when the number is well formed.
 */
export type PersonnummerProblem = 'format' | 'date' | 'checkDigit';

export function personnummerProblem(value: string): PersonnummerProblem | null {
  const match = /^(\d{8})-?(\d{4})$/.exec(value.trim());
  if (!match) return 'format';
  const digits = `${match[1]}${match[2]}`;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  if (month < 1 || month > 12 || realDay < 1 || realDay > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'date';
  return luhnValid(digits.slice(2)) ? null : 'checkDigit';
}

/** The birth date a well-formed number names (YYYY-MM-DD), to fill the birth date field with. */
export function birthDateOf(value: string): string | null {
  if (personnummerProblem(value) === 'format') return null;
  const digits = value.trim().replace('-', '');
  const day = Number(digits.slice(6, 8));
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
}

/** Luhn over the ten digits YYMMDDNNNC: every other digit from the first doubled, digits summed. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Kommunkoder typed as a list ("0180, 1280"): the API checks each one. */
export function municipalityCodesOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}
