/**
 * Finding a Swedish personal identity number (personnummer, or a coordination
 * number: day + 60) in text that is about to be kept, such as a request id.
 * The municipal subgraph validates the numbers it stores with the same Luhn check.
 */

/** Luhn check over the ten digits YYMMDDNNNC. */
export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Every natural form — YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDDNNNN, YYMMDD-NNNN,
 * YYMMDD+NNNN — ends in YYMMDD, an optional - or +, and NNNN: looking ahead at
 * every position finds each of them, overlapping ones too.
 */
const TEN_DIGIT_FORM = /(?=(\d{2})(\d{2})(\d{2})[-+]?(\d{4}))/g;

/**
 * Whether `text` holds a personnummer or coordination number in one of its
 * natural forms: a month 01–12, a day 01–31 (61–91), and a valid check digit.
 * The check digit matters: of random digits only one in ten passes it, so
 * random ids are rarely mistaken for a number.
 */
export function holdsPersonalIdentityNumber(text: string): boolean {
  for (const [, yy, mm, dd, nnnn] of text.matchAll(TEN_DIGIT_FORM)) {
    const month = Number(mm);
    const day = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && luhnValid(`${yy}${mm}${dd}${nnnn}`)) return true;
  }
  return false;
}
