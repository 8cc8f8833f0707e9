import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';

/** One request a fake shard received, as far as the tests care. */
export interface ReceivedRequest {
  kind: 'sdl' | 'entities' | 'operation';
  query: string;
  variables: Record<string, unknown> | undefined;
  requestId: string | undefined;
}

export interface FakeShardOptions {
  /** The municipality this deployment serves; echoed as `servedBy`. */
  code: string;
  /** What it answers to `{ _service { sdl } }`; null: a `_service` without SDL. */
  sdl: string | null;
  /** Listen on this port rather than a free one. */
  port?: number;
  /** Wait this long before answering anything but the SDL check. */
  delayMs?: number;
  /** Wait for this before answering anything but the SDL check. */
  gate?: () => Promise<void>;
  /** Added to every answer but the SDL check. */
  errors?: GraphQLFormattedError[];
  /** Answer everything but the SDL check with this HTTP status and no data (e.g. 503). */
  failWith?: number;
  /** Answer only the next this many requests (but the SDL check) with `failWith`. */
  failTimes?: number;
}

/**
 * A municipal deployment on a real HTTP port. Answers the SDL check, echoes each
 * `_entities` representation back with `servedBy: <code>`, and answers any other
 * operation with `{ servedBy, operation }`. Records everything it receives.
 */
export class FakeShard {
  readonly received: ReceivedRequest[] = [];
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(
    private options: FakeShardOptions,
    private readonly server: Server,
  ) {}

  static async start(options: FakeShardOptions): Promise<FakeShard> {
    const server = createServer();
    const shard = new FakeShard(options, server);
    server.on('request', (req, res) => void shard.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return shard;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  /** From now on answer with `status` (undefined: heal), `times` times or for good. */
  failWith(status: number | undefined, times?: number): void {
    this.options = { ...this.options, failWith: status, failTimes: times };
  }

  kinds(): ReceivedRequest['kind'][] {
    return this.received.map((r) => r.kind);
  }

  /** Stops listening and drops every connection, including requests still waiting. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
    const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    const kind = fields.includes('_service') ? 'sdl' : fields.includes('_entities') ? 'entities' : 'operation';
    const requestId = req.headers['x-request-id'];
    this.received.push({ kind, query, variables, requestId: typeof requestId === 'string' ? requestId : undefined });

    const { code, sdl, delayMs, gate, errors } = this.options;
    if (kind === 'sdl') return send(res, { data: { _service: sdl === null ? null : { sdl } } });
    const { failWith, failTimes } = this.options;
    if (failWith !== undefined && (failTimes === undefined || failTimes > 0)) {
      if (failTimes !== undefined) this.options = { ...this.options, failTimes: failTimes - 1 };
      return send(res, { errors: [{ message: 'fake failure' }] }, failWith);
    }
    if (gate) await gate();
    if (delayMs) await this.sleep(delayMs, res);
    if (res.destroyed) return;
    const data =
      kind === 'entities'
        ? { _entities: ((variables?.representations ?? []) as Record<string, unknown>[]).map((r) => ({ ...r, servedBy: code })) }
        : { servedBy: code, operation: operation.operation };
    send(res, errors ? { data, errors } : { data });
  }

  /** Resolves after `ms`, or as soon as the client goes away; never outlives `stop()`. */
  private sleep(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(timer);
      res.once('close', done);
    });
  }
}

function send(res: ServerResponse, body: unknown, status = 200): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A port that nothing listens on (for now). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
