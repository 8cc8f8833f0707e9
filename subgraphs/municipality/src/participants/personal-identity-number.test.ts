import { birthDateOf, luhnCheckDigit, luhnValid, normalizePersonalIdentityNumber } from './personal-identity-number';

/** Twelve digits with the Luhn check digit that fits the first eleven (YYYYMMDDNNN). */
const withCheckDigit = (elevenDigits: string) => `${elevenDigits}${luhnCheckDigit(elevenDigits.slice(2))}`;

describe('personal identity numbers', () => {
  describe('luhnValid and luhnCheckDigit', () => {
    // Skatteverket's published examples: 811218-9876 (personnummer), 701063-2391 (samordningsnummer).
    it.each([
      ['8112189876', true],
      ['7010632391', true],
      ['8112189877', false],
      ['8112189866', false],
      ['7010632390', false],
      ['0000000000', true],
    ])('judges %s Luhn-valid: %s', (digits, valid) => {
      expect(luhnValid(digits)).toBe(valid);
    });

    it.each([
      ['811218987', 6],
      ['701063239', 1],
      ['900101980', 2],
      ['000000000', 0],
    ])('computes the check digit of %s as %i', (nine, check) => {
      expect(luhnCheckDigit(nine)).toBe(check);
    });

    it('makes every nine digits valid with exactly one check digit', () => {
      for (const nine of ['811218987', '701063239', '123456789', '999999999', '500505981']) {
        const valid = Array.from({ length: 10 }, (_, c) => c).filter((c) => luhnValid(`${nine}${c}`));
        expect(valid).toEqual([luhnCheckDigit(nine)]);
      }
    });
  });

  describe('normalizePersonalIdentityNumber', () => {
    it.each([
      ['twelve digits', '198112189876', '198112189876'],
      ['a hyphen before the last four', '19811218-9876', '198112189876'],
      ['surrounding whitespace', '  19811218-9876\t', '198112189876'],
      ['a samordningsnummer (day + 60)', '19701063-2391', '197010632391'],
      ['a samordningsnummer on day 31 + 60', withCheckDigit('19900191980'), withCheckDigit('19900191980')],
      ['29 February of a leap year', withCheckDigit('20000229980'), withCheckDigit('20000229980')],
      ['a synthetic birth number 980–999', withCheckDigit('20260101999'), withCheckDigit('20260101999')],
    ])('accepts %s', (_what, input, normalized) => {
      expect(normalizePersonalIdentityNumber(input)).toBe(normalized);
    });

    it.each([
      ['a wrong check digit', '198112189877'],
      ['a wrong check digit on a samordningsnummer', '197010632390'],
      ['ten digits (no century)', '8112189876'],
      ['ten digits with a hyphen', '811218-9876'],
      ['the + separator', '19811218+9876'],
      ['a hyphen in the wrong place', '1981121-89876'],
      ['letters', '19811218-98A6'],
      ['thirteen digits', '1981121898760'],
      ['an empty string', ''],
      ['month 00', withCheckDigit('19900001980')],
      ['month 13', withCheckDigit('19901301980')],
      ['day 00', withCheckDigit('19900100980')],
      ['day 32', withCheckDigit('19900132980')],
      ['day 60 (neither a day nor a samordningsnummer)', withCheckDigit('19900160980')],
      ['samordningsnummer day 92 (31 + 61)', withCheckDigit('19900192980')],
      ['30 February', withCheckDigit('19900230980')],
      ['29 February of a common year', withCheckDigit('19900229980')],
      ['29 February of 1900 (not a leap year)', withCheckDigit('19000229980')],
      ['31 April', withCheckDigit('19900431980')],
      ['31 April as a samordningsnummer', withCheckDigit('19900491980')],
    ])('refuses %s', (_what, input) => {
      expect(normalizePersonalIdentityNumber(input)).toBeNull();
    });
  });

  describe('birthDateOf', () => {
    it.each([
      ['198112189876', '1981-12-18'],
      ['197010632391', '1970-10-03'],
      [withCheckDigit('19900191980'), '1990-01-31'],
      [withCheckDigit('20000229980'), '2000-02-29'],
      [withCheckDigit('19900161980'), '1990-01-01'],
    ])('reads %s as born %s', (normalized, date) => {
      expect(birthDateOf(normalized)).toBe(date);
    });
  });
});
