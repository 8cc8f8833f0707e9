import { purposeFrom, requestIdFrom } from './request-headers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps an id the caller sent', () => {
    expect(requestIdFrom('3f1c9a0e-2b7d-4c1e-9a55-0d2f8e6b7c41')).toBe('3f1c9a0e-2b7d-4c1e-9a55-0d2f8e6b7c41');
    expect(requestIdFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  });

  it('makes a new one for none, one too long for the audit log, or free text', () => {
    for (const header of [undefined, '', 'x'.repeat(101), 'Anna Svensson 19850101-1234', 'id\nforged log line']) {
      expect(requestIdFrom(header)).toMatch(UUID);
    }
  });
});

describe('purposeFrom', () => {
  it('keeps the reason, on one line, without personnummer or dates, at most 200 characters', () => {
    expect(purposeFrom('follow-up of the case plan')).toBe('follow-up of the case plan');
    expect(purposeFrom('check 19850101-1234\nagain')).toBe('check #-# again');
    expect(purposeFrom('x'.repeat(300))).toHaveLength(200);
    expect(purposeFrom(undefined)).toBeUndefined();
    expect(purposeFrom('  ')).toBeUndefined();
  });
});
