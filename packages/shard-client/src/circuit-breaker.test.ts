import { CircuitBreaker } from './circuit-breaker';

function breaker(failureThreshold = 3, cooldownMs = 10_000) {
  const clock = { now: 1_000_000 };
  return { clock, breaker: new CircuitBreaker({ failureThreshold, cooldownMs, now: () => clock.now }) };
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and counts only consecutive failures', () => {
    const { breaker: b } = breaker(3);
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    expect(b.admit()).toEqual({ allowed: true });
  });

  it('opens after the threshold and refuses calls until the cooldown has passed', () => {
    const { breaker: b, clock } = breaker(3, 10_000);
    for (let i = 0; i < 3; i++) b.failure();
    expect(b.state).toBe('open');
    expect(b.admit()).toEqual({ allowed: false, retryAt: 1_010_000 });
    clock.now += 9_999;
    expect(b.admit()).toEqual({ allowed: false, retryAt: 1_010_000 });
  });

  it('lets exactly one trial call through when half-open, and closes on its success', () => {
    const { breaker: b, clock } = breaker(2, 1_000);
    b.failure();
    b.failure();
    clock.now += 1_000;
    expect(b.state).toBe('half-open');
    expect(b.admit()).toEqual({ allowed: true });
    expect(b.admit()).toEqual({ allowed: false, retryAt: 1_001_000 });
    b.success();
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
    expect(b.admit()).toEqual({ allowed: true });
  });

  it('opens for another cooldown when the trial call fails', () => {
    const { breaker: b, clock } = breaker(2, 1_000);
    b.failure();
    b.failure();
    clock.now += 1_500;
    expect(b.admit()).toEqual({ allowed: true });
    b.failure();
    expect(b.state).toBe('open');
    expect(b.admit()).toEqual({ allowed: false, retryAt: 1_002_500 });
    clock.now += 1_000;
    expect(b.state).toBe('half-open');
  });

  it('with a threshold of 1 opens on the first failure', () => {
    const { breaker: b } = breaker(1);
    b.failure();
    expect(b.state).toBe('open');
  });
});
