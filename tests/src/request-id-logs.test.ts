import { bearer, Role, keptRequestId } from '@sodertorn/testing';
import { memoryLog, type MemoryLog } from './support/memory-logger';
import { startTestRegion, type TestRegion } from './support/test-region';

const CAPACITY = /* GraphQL */ `
  query RegionCapacityTrace($from: LocalDate!, $to: LocalDate!) {
    region {
      municipalities {
        code
        housingUnits {
          id
          freePlaces(from: $from, to: $to)
        }
      }
    }
  }
`;

/** One request through the gateway is found by its x-request-id in the gateway's, the regional's and every shard's log lines. */
describe('End to end: request ids in the logs', () => {
  let region: TestRegion;
  let log: MemoryLog;

  beforeAll(async () => {
    log = memoryLog();
    region = await startTestRegion({ logger: log.logger });
  });
  afterAll(async () => {
    await region.destroy();
  });

  async function query(headers: Record<string, string>): Promise<Response> {
    const response = await fetch(region.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer(Role.COORDINATOR)), ...headers },
      body: JSON.stringify({ query: CAPACITY, variables: { from: '2026-12-01', to: '2026-12-15' } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
    return response;
  }

  const componentsLogging = (requestId: string, since: number) =>
    new Set(
      log
        .since(since)
        .filter((record) => record.requestId === requestId)
        .map((record) => record.component),
    );
  const everyService = () => new Set(['gateway', 'regional', ...region.registry.map((m) => `municipality-${m.code}`)]);

  it("carries the caller's x-request-id to every service's log lines, and echoes it", async () => {
    const requestId = keptRequestId();
    const mark = log.mark();
    const response = await query({ 'x-request-id': requestId });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(componentsLogging(requestId, mark)).toEqual(everyService());
  });

  it('makes one up when the caller sends none, returns it, and every service logs it', async () => {
    const mark = log.mark();
    const response = await query({});
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(componentsLogging(requestId!, mark)).toEqual(everyService());
  });

  it('replaces an x-request-id that is free text, too long for the audit log or a personnummer, everywhere', async () => {
    // A synthetic personnummer (birth number 98x, valid check digit) is no id, bare or spelled in a UUID's digits.
    for (const sent of ['Anna Svensson 19850101-1234', 'x'.repeat(150), '198501019817', '19850101-9817', '19850101-9817-4abc-8def-0123456789ab']) {
      const mark = log.mark();
      const response = await query({ 'x-request-id': sent });
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(componentsLogging(requestId!, mark)).toEqual(everyService());
      expect(log.since(mark).some((record) => JSON.stringify(record).includes(sent))).toBe(false);
    }
  });
});
