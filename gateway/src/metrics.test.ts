import { GatewayMetrics, MAX_OPERATION_LABELS } from './metrics';

describe('the operation_name label', () => {
  it('never carries digits that could be a personnummer', () => {
    expect(new GatewayMetrics(() => []).operationLabel('Participant198501011234')).toBe('Participant#');
  });

  it('gives at most MAX_OPERATION_LABELS names a series of their own, then counts the rest as other', () => {
    const metrics = new GatewayMetrics(() => []);
    const names = Array.from({ length: MAX_OPERATION_LABELS }, (_, i) => `Operation${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);
    expect(names.map((n) => metrics.operationLabel(n))).toEqual(names);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    // Names already in use keep their series.
    expect(metrics.operationLabel(names[7])).toBe(names[7]);
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
  });
});
