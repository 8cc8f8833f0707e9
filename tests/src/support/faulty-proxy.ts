import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'down' | 'crash-after-commit';

/**
 * An HTTP proxy in front of one shard that can play dead: `down` refuses every
 * request; `crash-after-commit` lets a request whose body mentions `trigger`
 * reach the shard, waits until the shard has committed and answered, then cuts
 * the connection — the caller never learns the outcome, as when the process
 * dies right after its transaction. With `onExchange` it also records the
 * traffic it passes.
 */
export async function startFaultyProxy(
  trigger: string,
  /** Told every exchange that passed, as the bytes went over the wire. */
  onExchange?: (request: string, response: string) => void,
): Promise<{ url: string; setTarget(url: string): void; setMode(mode: ProxyMode): void; close(): Promise<void> }> {
  let mode: ProxyMode = 'pass';
  let targetUrl: URL | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (mode === 'down' || !targetUrl) return req.socket.destroy();
      const forward = httpRequest(
        { hostname: targetUrl.hostname, port: targetUrl.port, path: targetUrl.pathname, method: req.method, headers: { ...req.headers, host: targetUrl.host } },
        (upstream) => {
          const answer: Buffer[] = [];
          upstream.on('data', (chunk: Buffer) => answer.push(chunk));
          upstream.on('end', () => {
            if (mode === 'crash-after-commit' && body.toString().includes(trigger)) return req.socket.destroy();
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            res.end(Buffer.concat(answer));
            onExchange?.(body.toString(), Buffer.concat(answer).toString());
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    setTarget: (url) => (targetUrl = new URL(url)),
    setMode: (next) => (mode = next),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
