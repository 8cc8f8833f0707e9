import { bearer, callAsRegionService, postGraphQL, Role, testVerifierOptions, writeRegionPki, type RegionPkiFiles } from '@sodertorn/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostDatabase, startHostService, runToEnd, SERVICE_ENTRY, type HostProcess } from './support/host-services';
import { freshUnit } from './support/placement-fixtures';
import { stopProcess, VirtualNetwork, whyNoNamespaces, type VirtualHost } from './support/virtual-network';

/**
 * The region as eight organisations and the region's own operations: every municipality
 * is a host of its own (a Linux network namespace: its own loopback, its own PostgreSQL
 * on it, its own subgraph), the region's host runs the gateway, the regional subgraph
 * and their PostgreSQL, and they talk only over a virtual LAN (veth links to a bridge).
 * Each service is started from its own environment with the image's entry command
 * (`service.js <command>`), after its own `migrate` step, as an operator would. Every hop
 * is TLS (the shards and the regional subgraph only mutual TLS), with certificates of the
 * region's and each municipality's development CA for the hosts' addresses.
 */
const MEMBERS = [
  { code: '0126', name: 'Huddinge' },
  { code: '0127', name: 'Botkyrka' },
  { code: '0128', name: 'Salem' },
  { code: '0136', name: 'Haninge' },
  { code: '0138', name: 'Tyresö' },
  { code: '0140', name: 'Nykvarn' },
  { code: '0181', name: 'Södertälje' },
  { code: '0192', name: 'Nynäshamn' },
];
const SHARD_PORT = '4101'; // each host has its own network stack: every shard listens on the usual port
// Generous for a shared test machine; the link-cut step measures against it.
const SHARD_TIMEOUT_MS = 4_000;
const BREAKER_COOLDOWN_MS = 1_000;
// The gateway's active probe: a shard that stops answering shows as down in /ready within interval + timeout.
const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 500;

const CAPACITY = `query($from: LocalDate!, $to: LocalDate!) { region { municipalities { code housingUnits { id freePlaces(from: $from, to: $to) } } } }`;

const cannotRun = whyNoNamespaces();
if (cannotRun) process.stderr.write(`separate-hosts: skipped, ${cannotRun}\n`);
const describeOnHosts = cannotRun ? describe.skip : describe;
const t0 = performance.now();
// What each step measured is this test's report: printed, and asserted only where the issue sets a bound.
const say = (line: string) => process.stdout.write(`separate hosts [${((performance.now() - t0) / 1000).toFixed(1)}s]: ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

describeOnHosts('The region on separate hosts (network namespaces, one per organisation)', () => {
  let network: VirtualNetwork;
  let configDir: string;
  let region: VirtualHost;
  let gatewayUrl: string;
  let authEnv: Record<string, string>;
  let regionalEnv: Record<string, string>;
  let gatewayEnv: Record<string, string>;
  const regionServices: { regional?: HostProcess; gateway?: HostProcess } = {};
  const shards = new Map<string, { host: VirtualHost; service: HostProcess & { baseUrl: string }; env: Record<string, string> }>();
  const hosts = new Map<string, VirtualHost>();
  let pki: RegionPkiFiles;

  /** The region's and each municipality's CA issue every service its certificate, for its host's address; this process calls as the gateway does. */
  async function issueCertificates(codes: readonly string[]): Promise<void> {
    const addresses = Object.fromEntries(codes.map((code) => [code, [hosts.get(code)!.address]]));
    pki = await writeRegionPki(join(configDir, 'certificates'), codes, { ...addresses, gateway: [region.address] });
    callAsRegionService(pki);
  }

  const served = (files: { certFile: string; keyFile: string }) => ({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile });

  /** A municipality's IT brings up its host: its own PostgreSQL, `migrate municipality`, then the subgraph. */
  async function bringUpMunicipality(member: { code: string }): Promise<void> {
    const started = performance.now();
    const host = hosts.get(member.code)!;
    const database = await startHostDatabase(network, host, `municipality_${member.code}`);
    await runToEnd(network, host, [SERVICE_ENTRY, 'migrate', 'municipality'], { DATABASE_URL: database.url });
    const env = {
      ...authEnv,
      MUNICIPALITY_CODE: member.code,
      DATABASE_URL: database.url,
      CASE_REFERENCE_KEY: `case-reference-key-of-${member.code}-kept-by-its-it-department`,
      ...served(pki.municipalities[member.code]!),
      TLS_CA_FILE: pki.regionCaFile,
      TLS_CLIENT_IDENTITIES: `${pki.gateway.identity},${pki.regional.identity}`,
      HOST: '0.0.0.0',
      PORT: SHARD_PORT,
      LOG_LEVEL: 'warn',
    };
    shards.set(member.code, { host, env, service: await startHostService(network, host, 'municipality', env) });
    say(`${member.code}: PostgreSQL, migrate, subgraph up in ${seconds(performance.now() - started)}`);
  }

  /** The region's IT writes its member registry: each shard named by its host's address. */
  function writeRegistry(members: readonly { code: string; name: string }[]): void {
    const entries = members.map((m) => ({
      ...m,
      url: `https://${shards.get(m.code)!.host.address}:${SHARD_PORT}/graphql`,
      tls: { caFile: pki.municipalities[m.code]!.caFile, identity: pki.municipalities[m.code]!.identity },
    }));
    writeFileSync(join(configDir, 'municipalities.json'), JSON.stringify(entries));
  }

  /** (Re)starts the region's two services from their configuration, the regional subgraph first. */
  async function startRegionServices(): Promise<void> {
    for (const service of [regionServices.gateway, regionServices.regional]) if (service) await stopProcess(service.child, 10_000);
    regionServices.regional = await startRegionalOnItsLoopback(network, region, regionalEnv, {
      CA: pki.regionCaFile,
      CERT: pki.gateway.certFile,
      KEY: pki.gateway.keyFile,
    });
    regionServices.gateway = await startHostService(network, region, 'gateway', gatewayEnv);
  }

  beforeAll(async () => {
    const started = performance.now();
    network = new VirtualNetwork();
    configDir = mkdtempSync(join(tmpdir(), 'sodertorn-hosts-'));
    try {
      region = network.addHost('region', 2);
      const auth = await testVerifierOptions();
      const [issuer] = auth.issuers; // one issuer, given as the single-issuer settings an operator would set
      authEnv = { AUTH_ISSUER: issuer!.issuer, AUTH_AUDIENCE: issuer!.audience, AUTH_JWKS_FILE: issuer!.jwksFile! };
      MEMBERS.forEach((member, i) => hosts.set(member.code, network.addHost(member.code, 11 + i)));
      await issueCertificates(MEMBERS.map((m) => m.code));
      await Promise.all(MEMBERS.map((member) => bringUpMunicipality(member)));
      say(`8 municipality hosts up in ${seconds(performance.now() - started)}`);

      writeRegistry(MEMBERS);
      const database = await startHostDatabase(network, region, 'regional');
      await runToEnd(network, region, [SERVICE_ENTRY, 'migrate', 'regional'], { DATABASE_URL: database.url });
      const registry = { REGISTRY_FILE: join(configDir, 'municipalities.json'), SHARD_TIMEOUT_MS: String(SHARD_TIMEOUT_MS), LOG_LEVEL: 'warn' };
      regionalEnv = {
        ...authEnv,
        ...registry,
        DATABASE_URL: database.url,
        HOST: '127.0.0.1', // only the gateway beside it calls the regional subgraph
        PORT: '4100',
        ...served(pki.regional),
        TLS_CA_FILE: pki.regionCaFile,
        TLS_CLIENT_IDENTITIES: pki.gateway.identity,
      };
      gatewayEnv = {
        ...authEnv,
        ...registry,
        ...served(pki.gateway),
        REGIONAL_SUBGRAPH_URL: 'https://127.0.0.1:4100/graphql',
        REGIONAL_TLS_CA_FILE: pki.regionCaFile,
        REGIONAL_TLS_IDENTITY: pki.regional.identity,
        SHARD_BREAKER_COOLDOWN_MS: String(BREAKER_COOLDOWN_MS),
        SHARD_PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS),
        SHARD_PROBE_TIMEOUT_MS: String(PROBE_TIMEOUT_MS),
        HOST: '0.0.0.0',
        PORT: '4000',
      };
      await startRegionServices();
      gatewayUrl = `https://${region.address}:4000/graphql`;
      say(`region host up (PostgreSQL, migrate, regional, gateway); all 9 hosts in ${seconds(performance.now() - started)}`);
    } catch (error) {
      await network.destroy();
      throw error;
    }
  }, 300_000);

  afterAll(async () => {
    say(`all steps done; cleaning up after ${seconds(performance.now() - t0)} (the issue's bound: 180 s on an otherwise idle machine)`);
    await network?.destroy();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  }, 30_000);

  it('answers the region capacity query from all eight hosts, each from its own database', async () => {
    // Each municipality's housing manager registers a unit on its own host, through the gateway.
    const registered = new Map(await Promise.all(MEMBERS.map(async (m) => [m.code, await freshUnit(gatewayUrl, m.code, 2)] as const)));
    const asked = performance.now();
    const capacity = await postGraphQL(gatewayUrl, CAPACITY, { from: '2027-02-01', to: '2027-02-28' }, await bearer(Role.COORDINATOR));
    const tookMs = performance.now() - asked;
    expect(capacity.errors).toBeUndefined();
    const municipalities = capacity.data!.region.municipalities as { code: string; housingUnits: { id: string }[] }[];
    expect(municipalities.map((m) => m.code)).toEqual(MEMBERS.map((m) => m.code));
    for (const municipality of municipalities) expect(municipality.housingUnits.map((u) => u.id)).toContain(registered.get(municipality.code));
    say(`capacity query over 8 hosts: ${municipalities.reduce((n, m) => n + m.housingUnits.length, 0)} housing units in ${seconds(tookMs)}`);

    // A whole placement across hosts needs the regional subgraph's own OAuth client (SERVICE_CLIENT_ID) at an
    // identity provider on the network; since identity landed that is no longer a static token, and the
    // harness does not yet run an identity provider's host (see the report of the deploy branch).
  }, 60_000);

  it("cuts one host's link: the others answer within the shard timeout, the error names it, /ready shows it down, and it comes back with the link", async () => {
    const cut = shards.get('0128')!;
    const coordinator = await bearer(Role.COORDINATOR);
    const capacity = () => postGraphQL(gatewayUrl, CAPACITY, { from: '2027-02-01', to: '2027-02-28' }, coordinator);
    const readyState = async () => {
      const response = await fetch(gatewayUrl.replace('/graphql', '/ready'));
      const body = (await response.json()) as { shards?: { municipalityCode: string; state: string }[] };
      return body.shards?.find((s) => s.municipalityCode === '0128')?.state;
    };
    /** Polls until `check` holds; the milliseconds it took. */
    const until = async (check: () => Promise<boolean>, withinMs: number, what: string) => {
      const started = performance.now();
      while (!(await check())) {
        if (performance.now() - started > withinMs) throw new Error(`${what} not within ${withinMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return performance.now() - started;
    };
    const timedCapacity = async () => {
      const asked = performance.now();
      const result = await capacity();
      const tookMs = performance.now() - asked;
      const municipalities = (result.data?.region?.municipalities ?? []) as { code: string; housingUnits: unknown[] | null }[];
      return {
        tookMs,
        answered: municipalities.filter((m) => m.housingUnits?.length).map((m) => m.code),
        errorCodes: (result.errors ?? []).map((e) => (e.extensions as { municipalityCode?: string } | undefined)?.municipalityCode),
      };
    };
    const answersAgain = async () => {
      const upMs = await until(async () => (await readyState()) === 'up', 20_000, '/ready showing 0128 up again');
      const answeredMs = await until(async () => (await timedCapacity()).answered.includes('0128'), 20_000, '0128 answering again');
      return { upMs, answeredMs };
    };
    const others = MEMBERS.map((m) => m.code).filter((c) => c !== '0128');
    expect(await readyState()).toBe('up');

    // 1. Cut, and ask at once, before the gateway knows: it waits for 0128 at most its timeout (and the retry).
    network.setLink(cut.host, 'down');
    let first;
    try {
      first = await timedCapacity();
    } finally {
      network.setLink(cut.host, 'up');
    }
    expect(first.answered).toEqual(others);
    expect(first.errorCodes).toContain('0128');
    expect(first.tookMs).toBeLessThan(3 * SHARD_TIMEOUT_MS);
    const back = await answersAgain();
    say(
      `link of 0128 cut: the capacity query at once: 7 answered, 0128 named in the error, in ${seconds(first.tookMs)} (shard timeout ${seconds(SHARD_TIMEOUT_MS)}); ` +
        `link back: /ready up after ${seconds(back.upMs)}, answering ${seconds(back.answeredMs)} later, nobody restarted anything`,
    );

    // 2. Cut again, without traffic: the active probe alone shows it down in /ready (interval + timeout, slack for a shared machine).
    network.setLink(cut.host, 'down');
    let downMs, known;
    try {
      downMs = await until(async () => (await readyState()) === 'down', 3 * (PROBE_INTERVAL_MS + PROBE_TIMEOUT_MS), '/ready showing 0128 down');
      known = await timedCapacity();
    } finally {
      network.setLink(cut.host, 'up');
    }
    expect(known.answered).toEqual(others);
    expect(known.errorCodes).toContain('0128');
    const again = await answersAgain();
    say(
      `link of 0128 cut again, no traffic: /ready said down after ${seconds(downMs)} (probe every ${seconds(PROBE_INTERVAL_MS)}, ${seconds(PROBE_TIMEOUT_MS)} to answer); ` +
        `the capacity query while it is known down: ${seconds(known.tookMs)}; link back: /ready up after ${seconds(again.upMs)}`,
    );
  }, 60_000);

  it('SIGTERM of a shard under steady load: in-flight requests are counted, the process exits, the others keep answering', async () => {
    const target = shards.get('0140')!;
    const shardUrl = `${target.service.baseUrl}/graphql`;
    const manager = await bearer(Role.HOUSING_MANAGER, '0140');
    const query = `query { myMunicipality { housingUnits { id places } } }`;
    const outcome = { ok: 0, failedInFlight: 0, refusedAfterStop: 0 };
    let stopped = false;
    const client = async () => {
      while (!stopped) {
        try {
          const response = await fetch(shardUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...manager },
            body: JSON.stringify({ query }),
            signal: AbortSignal.timeout(5_000),
          });
          const body = (await response.json()) as { errors?: unknown };
          if (response.ok && !body.errors) outcome.ok += 1;
          else outcome.failedInFlight += 1;
        } catch (error) {
          // Refused once the port is closed: a balancer sends these elsewhere once /ready says 503.
          const refused = /ECONNREFUSED/.test(String((error as { cause?: { code?: string } }).cause?.code));
          if (!refused) outcome.failedInFlight += 1;
          else {
            outcome.refusedAfterStop += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeStop = outcome.ok;
    expect(beforeStop).toBeGreaterThan(0);
    const signalled = performance.now();
    const exited = await stopProcess(target.service.child, 10_000);
    const exitMs = performance.now() - signalled;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stopped = true;
    await Promise.all(clients);
    expect(exited.signal).not.toBe('SIGKILL'); // it ended by itself, within the grace
    say(
      `SIGTERM of 0140 under load (4 clients): ${beforeStop} answered before the signal, ${outcome.ok} in all; ` +
        `${outcome.failedInFlight} failed in flight, ${outcome.refusedAfterStop} refused after the port closed; exited (code ${exited.code}, signal ${exited.signal}) in ${seconds(exitMs)}`,
    );

    const others = await postGraphQL(gatewayUrl, CAPACITY, { from: '2027-02-01', to: '2027-02-28' }, await bearer(Role.COORDINATOR));
    const answered = (others.data?.region?.municipalities ?? []).filter((m: { housingUnits: unknown[] | null }) => m.housingUnits?.length);
    expect(answered).toHaveLength(7);

    // Its IT starts it again, with the same configuration: it answers as before.
    const restarted = performance.now();
    target.service = await startHostService(network, target.host, 'municipality', target.env);
    say(`0140 started again in ${seconds(performance.now() - restarted)}`);
  }, 60_000);

  it('adds a ninth municipality by configuration: its own host, one entry in the member registry, the region’s services restarted', async () => {
    const ninth = { code: '0188', name: 'Norrtälje' };
    const started = performance.now();
    hosts.set(ninth.code, network.addHost(ninth.code, 19));
    await issueCertificates([...MEMBERS, ninth].map((m) => m.code));
    await bringUpMunicipality(ninth);
    writeRegistry([...MEMBERS, ninth]);
    const restarted = performance.now();
    await startRegionServices();
    say(`ninth member: the region's two services restarted with the new registry in ${seconds(performance.now() - restarted)}`);
    const unitId = await freshUnit(gatewayUrl, ninth.code);
    const result = await postGraphQL(gatewayUrl, CAPACITY, { from: '2027-02-01', to: '2027-02-28' }, await bearer(Role.COORDINATOR));
    expect(result.errors).toBeUndefined();
    const municipalities = result.data!.region.municipalities as { code: string; housingUnits: { id: string }[] }[];
    expect(municipalities.map((m) => m.code)).toEqual([...MEMBERS.map((m) => m.code), ninth.code].sort());
    expect(municipalities.find((m) => m.code === ninth.code)!.housingUnits.map((u) => u.id)).toEqual([unitId]);
    say(`ninth member 0188 answers the capacity query beside the eight, ${seconds(performance.now() - started)} from a bare host`);
  }, 180_000);
});

/** The regional subgraph listens on the region host's loopback only: its /health is asked from inside that host. */
async function startRegionalOnItsLoopback(
  network: VirtualNetwork,
  host: VirtualHost,
  env: Record<string, string>,
  caller: { CA: string; CERT: string; KEY: string },
): Promise<HostProcess> {
  const child = network.run(host, process.execPath, [SERVICE_ENTRY, 'regional'], env);
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  // It accepts only the gateway, by client certificate: the probe presents the gateway's.
  const probe = `require('node:https').get({ host: '127.0.0.1', port: ${env.PORT}, path: '/health', ca: fs.readFileSync(process.env.CA), cert: fs.readFileSync(process.env.CERT), key: fs.readFileSync(process.env.KEY) }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`regional on ${host.name} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`regional on ${host.name} did not answer /health:\n${output}`);
    const ok = await runToEnd(network, host, ['-e', `const fs = require('node:fs'); ${probe}`], caller).then(
      () => true,
      () => false,
    );
    if (ok) return { child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
