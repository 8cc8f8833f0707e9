import { bearer, Role } from '@sodertorn/testing';
import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestRegion, type TestRegion } from './support/test-region';

/**
 * The gateway against the GraphQL over HTTP spec's own audit suite, as an
 * authenticated caller: every MUST holds. SHOULD and MAY are recommendations;
 * the ones not met are listed in the test output, not asserted.
 *
 * Introspection is on here (as in development): two MUST audits (BF61 utf-8,
 * 28B9 variables map) probe with `__type`, which a production gateway refuses
 * as a validation error (HTTP 400) because introspection is off there.
 */
describe('End to end: GraphQL over HTTP conformance of the gateway', () => {
  let region: TestRegion;
  let results: AuditResult[];

  beforeAll(async () => {
    region = await startTestRegion({ seed: false, introspection: true });
    const authorization = await bearer(Role.COORDINATOR);
    const fetchFn = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(authorization)) headers.set(name, value);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: region.gateway.url, fetchFn });
    results = [];
    for (const audit of audits) results.push(await audit.fn());
  });
  afterAll(async () => {
    await region.destroy();
  });

  it('passes every MUST audit', () => {
    const failedMusts = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => ({ id: r.id, name: r.name, reason: 'reason' in r ? r.reason : '' }));
    expect(failedMusts).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(0);
  });

  it('lists the SHOULD and MAY audits it does not meet', () => {
    const unmet = results.filter((r) => !r.name.startsWith('MUST') && r.status !== 'ok').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    // eslint-disable-next-line no-console -- the list is this test's report; recommendations are not asserted
    if (unmet.length) console.info(`GraphQL over HTTP recommendations not met:\n${unmet.join('\n')}`);
    // Recommendations are reported, not required; but the audit must have run them.
    expect(results.filter((r) => !r.name.startsWith('MUST')).length).toBeGreaterThan(unmet.length);
  });
});
