import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { JsonPost, PostFailed } from './post-json';

/**
 * A host whose connections never complete: it accepts TCP and then says nothing,
 * so a TLS handshake waits for ever, as a connect does when a cut link drops the
 * SYN. undici's own connect timeout is 10 s; the call's timeout must win.
 */
let silent: Server;
const sockets: Socket[] = [];
let url: string;
const posts: JsonPost[] = [];

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy(); // the pending handshakes fail at once, so the pools close
  await Promise.all(posts.map((post) => post.close()));
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

/** The call's timeout, and the slack a shared machine needs; well below undici's 10 s connect timeout. */
const TIMEOUT_MS = 300;
const SLACK_MS = 1_500;

describe('JsonPost on a connection that never completes', () => {
  it('send() fails as a timeout within its own timeout, not after the connect timeout', async () => {
    const post = new JsonPost(url);
    posts.push(post);
    const started = performance.now();
    const error = await post.send('{}', {}, TIMEOUT_MS).catch((e: unknown) => e);
    const tookMs = performance.now() - started;
    expect(error).toBeInstanceOf(PostFailed);
    expect((error as PostFailed).failure).toBe('timeout');
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(tookMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it('status() gives no status within its own timeout', async () => {
    const post = new JsonPost(url);
    posts.push(post);
    const started = performance.now();
    expect(await post.status('/ready', TIMEOUT_MS)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});
