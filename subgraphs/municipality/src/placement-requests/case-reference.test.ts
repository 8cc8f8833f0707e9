import { ageBand, caseReference } from './case-reference';

const KEY = 'huddinge-case-reference-secret-0123456789abcdef';
const OTHER_KEY = 'botkyrka-case-reference-secret-0123456789abcdef';
const REQUEST_ID = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const OTHER_REQUEST_ID = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ac';

describe('caseReference', () => {
  it('is CR- followed by 24 upper-case hex digits', () => {
    expect(caseReference(KEY, REQUEST_ID)).toMatch(/^CR-[0-9A-F]{24}$/);
  });

  it('is the same every time for the same key and request id', () => {
    expect(caseReference(KEY, REQUEST_ID)).toBe(caseReference(KEY, REQUEST_ID));
  });

  it('differs for request ids that differ in one character', () => {
    expect(caseReference(KEY, OTHER_REQUEST_ID)).not.toBe(caseReference(KEY, REQUEST_ID));
  });

  it('differs across many request ids', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `${REQUEST_ID.slice(0, -3)}${i.toString(16).padStart(3, '0')}`);
    expect(new Set(ids.map((id) => caseReference(KEY, id))).size).toBe(ids.length);
  });

  it("differs under another municipality's key for the same request id", () => {
    expect(caseReference(OTHER_KEY, REQUEST_ID)).not.toBe(caseReference(KEY, REQUEST_ID));
  });

  it('contains no part of the request id', () => {
    const reference = caseReference(KEY, REQUEST_ID).toLowerCase();
    for (const part of REQUEST_ID.split('-')) expect(reference).not.toContain(part);
    expect(reference).not.toContain(REQUEST_ID.replace(/-/g, '').slice(0, 8));
  });

  it('does not depend on the key alone (an empty id still gives its own reference)', () => {
    expect(caseReference(KEY, '')).not.toBe(caseReference(KEY, REQUEST_ID));
  });
});

describe('ageBand', () => {
  it.each([
    ['turns 18 today', '2008-11-27', '18_20'],
    ['turns 18 tomorrow', '2008-11-28', 'UNDER_18'],
    ['is 20 until the 21st birthday', '2005-11-28', '18_20'],
    ['turns 21 today', '2005-11-27', '21_25'],
    ['is 25', '2001-01-01', '21_25'],
    ['is 26', '2000-01-01', '26_30'],
    ['is 30', '1996-01-01', '26_30'],
    ['is 31', '1995-01-01', '31_40'],
    ['is 40 until the 41st birthday', '1985-11-28', '31_40'],
    ['turns 41 today', '1985-11-27', '41_PLUS'],
  ])('puts someone who %s into %s', (_when, birthDate, band) => {
    expect(ageBand(birthDate, '2026-11-27')).toBe(band);
  });

  it('counts a leap-day birthday as passed only from 1 March in other years', () => {
    expect(ageBand('2004-02-29', '2025-02-28')).toBe('18_20');
    expect(ageBand('2004-02-29', '2025-03-01')).toBe('21_25');
  });
});
