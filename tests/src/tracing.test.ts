import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { bearer, postGraphQL, Role } from '@sodertorn/testing';
import { syntheticPersonnummer } from './support/personnummer';
import { startTestRegion, type TestRegion } from './support/test-region';

const CAPACITY = /* GraphQL */ `
  query RegionCapacity($from: LocalDate!, $to: LocalDate!) {
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
const REGISTER = /* GraphQL */ `
  mutation RegisterForTracing($input: RegisterParticipantInput!) {
    registerParticipant(input: $input) {
      id
    }
  }
`;

/** Every attribute value of a span and of its events, as text. */
function attributeValues(span: ReadableSpan): string[] {
  const all = [span.attributes, ...span.events.map((event) => event.attributes ?? {})];
  return all.flatMap((attributes) => Object.values(attributes).map((value) => JSON.stringify(value)));
}

describe('End to end: OpenTelemetry spans of the gateway', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let region: TestRegion;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(provider);
    region = await startTestRegion();
  });
  afterAll(async () => {
    await region.destroy();
    await provider.shutdown();
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);

  it('has one span per shard call of a region query, and one per subgraph fetch', async () => {
    const result = await postGraphQL(region.gateway.url, CAPACITY, { from: '2026-12-01', to: '2026-12-15' }, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();

    const shardCalls = named('municipality shard call');
    expect(shardCalls.map((span) => span.attributes['sodertorn.municipality_code']).sort()).toEqual(region.registry.map((m) => m.code).sort());
    for (const span of shardCalls) {
      expect(span.attributes).toMatchObject({ 'sodertorn.outcome': 'ok', 'graphql.operation.type': 'query', 'sodertorn.attempts': 1 });
      expect(String(span.attributes['graphql.operation.name'])).toMatch(/^RegionCapacity__municipality__\d+$/);
    }
    const fetches = named('subgraph fetch');
    expect(new Set(fetches.map((span) => span.attributes['sodertorn.subgraph']))).toEqual(new Set(['regional', 'municipality']));
    for (const span of fetches) expect(span.attributes['sodertorn.outcome']).toBe('ok');
  });

  it('never puts a value passed in variables into a span attribute', async () => {
    const marker = 'Spårmarkör7f3a';
    const person = syntheticPersonnummer(9101, 1991);
    const result = await postGraphQL(
      region.gateway.url,
      REGISTER,
      {
        input: {
          firstName: marker,
          lastName: `${marker}sson`,
          ...person,
          gender: 'FEMALE',
          referralSource: 'POLICE',
          riskLevel: 'HIGH',
          excludedMunicipalities: [],
          intakeDate: '2026-11-01',
          responsibleCaseworker: marker,
        },
      },
      await bearer(Role.CASEWORKER, '0126'),
    );
    expect(result.errors).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    expect(named('municipality shard call').map((span) => span.attributes['sodertorn.municipality_code'])).toEqual(['0126']);
    const leaks = spans.filter((span) => attributeValues(span).some((value) => value.includes(marker) || value.includes(person.personalIdentityNumber)));
    expect(leaks.map((span) => span.name)).toEqual([]);
    expect(spans.length).toBeGreaterThan(1);
  });

  it("marks a failed shard call with its outcome and failure kind, and only that shard's", async () => {
    await region.shards.get('0192')!.stopServing();
    const result = await postGraphQL(region.gateway.url, CAPACITY, { from: '2026-12-01', to: '2026-12-15' }, await bearer(Role.COORDINATOR));
    expect(result.errors?.map((e) => e.extensions?.municipalityCode)).toEqual(['0192']);

    const failed = named('municipality shard call').filter((span) => span.attributes['sodertorn.outcome'] !== 'ok');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attributes).toMatchObject({
      'sodertorn.municipality_code': '0192',
      'sodertorn.outcome': 'error',
      'sodertorn.failure_kind': 'connection',
      'sodertorn.attempts': 2,
    });
    expect(failed[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(named('subgraph fetch').some((span) => span.attributes['sodertorn.outcome'] === 'errors')).toBe(true);
  });
});
