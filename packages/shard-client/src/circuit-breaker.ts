export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through, in milliseconds. */
  cooldownMs: number;
  /** Milliseconds since the epoch; injectable so tests need no timers. */
  now?: () => number;
}

export type Admission = { allowed: true } | { allowed: false; retryAt: number };

/**
 * One shard's circuit breaker. Closed: every call goes through. After
 * `failureThreshold` consecutive failures it opens: calls are refused without
 * reaching the network until `cooldownMs` has passed. Then it is half-open: one
 * trial call goes through (others are still refused); its success closes the
 * circuit, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() >= this.retryAt ? 'half-open' : 'open';
  }

  /** When the next trial call will be let through (only meaningful while not closed). */
  get retryAt(): number {
    return (this.openedAt ?? this.now()) + this.options.cooldownMs;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Asks to make a call. A granted call must be followed by `success()` or `failure()`. */
  admit(): Admission {
    const state = this.state;
    if (state === 'closed') return { allowed: true };
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return { allowed: true };
    }
    return { allowed: false, retryAt: this.retryAt };
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialInFlight || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }
}
