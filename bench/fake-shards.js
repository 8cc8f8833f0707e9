// The national what-if's simulated municipal shards (see gateway.bench.js, part 2):
// tiny node:http servers that answer the gateway's `_service { sdl }` check and
// `_entities` for Municipality with 10 canned housing units, instantly, with only
// the fields the query selects (as a real GraphQL server answers).
//
// Used two ways, with the same code:
// - required: `startFakeShard` / `startFakeShards` run them in the caller's
//   process (part 2a, everything in one process);
// - forked (`startFakeShardProcess`, part 2b): this file runs as a child
//   process, so the shards' HTTP handling and JSON are not billed to the
//   gateway's thread. Protocol over the IPC channel:
//     parent → { type: 'start', codes, sdl }   child → { type: 'ready', urls } | { type: 'failed', message }
//     parent → { type: 'cpu' }                 child → { type: 'cpu', usage }   (process.cpuUsage())
//     parent → { type: 'stop' }                child closes its servers and exits 0
//   If the parent goes away (the IPC channel closes), the child exits too.
const http = require('node:http');
const { fork } = require('node:child_process');
const { Kind, parse } = require('graphql');

function fakeUnits(code) {
  return Array.from({ length: 10 }, (_, i) => ({
    __typename: 'HousingUnit',
    municipalityCode: code,
    id: `${code}-u${i}`,
    kind: ['PROTECTED', 'TRAINING_FLAT', 'EMERGENCY', 'SUPPORTED'][i % 4],
    places: 2 + (i % 4),
    freePlaces: i % 3,
    // What the web app's capacity board reads besides (bench/web.bench.js); the gateway passes on only what was asked.
    district: `Kommundel ${i + 1}`,
    wheelchairAccessible: i % 2 === 0,
    suitableForChildren: i % 3 === 0,
    freePlaceRuns: [{ from: '2000-01-01', to: '2100-01-01', freePlaces: i % 3 }],
  }));
}

/**
 * `value` cut down to what `selectionSet` asks for, keyed by response name (alias or field name), as a
 * GraphQL server answers: a shard never sends the fields a query did not select, so neither may its stand-in
 * (the gateway would otherwise parse several times what a real shard sends). Inline fragments are merged
 * (the canned values are all of the fragment's type); a field the canned value lacks is null.
 */
function project(value, selectionSet) {
  if (Array.isArray(value)) return value.map((v) => project(v, selectionSet));
  if (value === null || typeof value !== 'object' || !selectionSet) return value;
  const out = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) Object.assign(out, project(value, selection.selectionSet));
    else if (selection.kind === Kind.FIELD)
      out[selection.alias?.value ?? selection.name.value] = project(value[selection.name.value] ?? null, selection.selectionSet);
  }
  return out;
}

/** The `_entities` field of an operation, whose selection is what each Municipality answer must hold. */
function entitiesField(query) {
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
}

/** A municipal shard stand-in: `_service { sdl }` and `_entities` for Municipality, answered at once. */
function startFakeShard(code, sdl) {
  const units = fakeUnits(code);
  /** @type {Map<string, any>} the _entities field of each query seen (the gateway sends a handful of distinct ones) */
  const fields = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let data;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const query = String(body.query ?? '');
        if (query.includes('_service')) data = { _service: { sdl } };
        else if (query.includes('_entities')) {
          if (!fields.has(query)) fields.set(query, entitiesField(query));
          const field = fields.get(query);
          const reps = body.variables?.representations ?? [];
          data = { _entities: reps.map((r) => project({ __typename: 'Municipality', code: r.code, housingUnits: units }, field?.selectionSet)) };
        } else data = null;
      } catch {
        data = null;
      }
      const payload = JSON.stringify(data ? { data } : { errors: [{ message: 'fake shard: unsupported operation' }] });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/graphql`,
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

/** One fake shard per code, in this process, one after the other (as part 2 always started them). */
async function startFakeShards(codes, sdl) {
  const fakes = [];
  try {
    for (const code of codes) fakes.push(await startFakeShard(code, sdl));
  } catch (error) {
    await Promise.all(fakes.map((s) => s.close()));
    throw error;
  }
  return { urls: fakes.map((s) => s.url), close: () => Promise.all(fakes.map((s) => s.close())).then(() => undefined) };
}

/**
 * Forks this file as a child process running one fake shard per code, waits
 * until all listen (at most `startTimeoutMs`) and returns their URLs, in the
 * order of `codes`. `cpuUsage()` asks the child for its process.cpuUsage();
 * `stop()` asks it to close its servers and exit, and kills it if it has not
 * within 5 s. A failed start kills the child before rejecting.
 */
function startFakeShardProcess(codes, sdl, { startTimeoutMs = 30_000 } = {}) {
  const child = fork(__filename, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  child.on('error', () => undefined); // a failed send: the exit (or a timeout) reports it
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
    return exit;
  };
  const reply = (type, timeoutMs) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message?.type !== type && message?.type !== 'failed') return;
        done();
        if (message.type === 'failed') reject(new Error(`fake-shard process: ${message.message}`));
        else resolve(message);
      };
      const onExit = (code, signal) => {
        done();
        reject(new Error(`fake-shard process exited (code ${code}, signal ${signal}) before answering "${type}"`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`fake-shard process did not answer "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  const started = reply('ready', startTimeoutMs);
  child.send({ type: 'start', codes, sdl });
  return started.then(
    ({ urls }) => ({
      pid: child.pid,
      urls,
      cpuUsage: async () => {
        const answer = reply('cpu', 5_000); // listening before asking
        child.send({ type: 'cpu' });
        return (await answer).usage;
      },
      stop: async () => {
        if (exited) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        try {
          child.send({ type: 'stop' });
        } catch {
          child.kill('SIGKILL');
        }
        await exit;
        clearTimeout(timer);
      },
    }),
    async (error) => {
      await kill();
      throw error;
    },
  );
}

// ---------------------------------------------------------------- as a child process

if (require.main === module) {
  if (!process.send) {
    console.error('bench/fake-shards.js runs as a child process of bench/gateway.bench.js (it needs an IPC channel)');
    process.exit(2);
  }
  let shards;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // The gateway has closed by now, so idle keep-alive sockets close with the servers; wait at most 2 s, then exit anyway.
    const closing = shards?.close();
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2_000).unref())]);
    process.exit(0);
  };
  process.on('message', async (/** @type {any} */ message) => {
    try {
      if (message?.type === 'start' && !shards) {
        shards = await startFakeShards(message.codes, message.sdl);
        process.send?.({ type: 'ready', urls: shards.urls });
      } else if (message?.type === 'cpu') process.send?.({ type: 'cpu', usage: process.cpuUsage() });
      else if (message?.type === 'stop') await stop();
    } catch (error) {
      process.send?.({ type: 'failed', message: String(error?.message ?? error) });
    }
  });
  // The parent went away (or closed the channel): nothing is left to serve.
  process.on('disconnect', () => void stop());
}

module.exports = { fakeUnits, startFakeShard, startFakeShards, startFakeShardProcess };
