import { caseReference } from './case-reference';

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
