import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the SMTP server took it: the envelope's recipients and the raw source (headers and body). */
export interface ReceivedMail {
  to: string[];
  source: string;
  receivedAt: number;
}

/** A webhook call as the receiver took it: path, headers and the raw body. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A receiver on a port fixed at creation, which can be taken down and brought up again on that port. */
interface Switchable<T> {
  port: number;
  received: T[];
  up(): Promise<void>;
  down(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A real SMTP server (smtp-server, without TLS or auth, on loopback): what a duty mailbox's server would take. */
export async function smtpReceiver(): Promise<Switchable<ReceivedMail>> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  return {
    port,
    received,
    async up() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), source: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
            callback();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async down() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
}

/** A real HTTP receiver for webhooks that answers 204 to everything and keeps each request as it came. */
export async function webhookReceiver(): Promise<Switchable<ReceivedWebhook>> {
  const port = await freePort();
  const received: ReceivedWebhook[] = [];
  let server: Server | undefined;
  return {
    port,
    received,
    async up() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async down() {
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = undefined;
    },
  };
}

/** Waits until `condition` holds, checking every 100 ms, for at most `ms`; fails naming `what`. */
export async function eventually<T>(what: string, condition: () => T | Promise<T>, ms = 20_000): Promise<NonNullable<Exclude<Awaited<T>, false>>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<Exclude<Awaited<T>, false>>;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The Message-ID, X-Notification-Id and Subject of a raw mail (headers unfolded; the subject may be MIME-encoded). */
export function mailHeader(source: string, name: string): string | undefined {
  const head = source.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();
}

/** Quoted-printable decoded as UTF-8: `=XX` escapes, and soft line breaks when `soft`. */
export function decodeQuotedPrintable(text: string, soft = true): string {
  const joined = soft ? text.replace(/=\r?\n/g, '') : text;
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** The Subject of a raw mail as a mail client shows it (RFC 2047 Q-encoded words decoded). */
export function mailSubject(source: string): string {
  const raw = mailHeader(source, 'subject') ?? '';
  return raw.replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_, word: string) => decodeQuotedPrintable(word.replace(/_/g, ' '), false));
}
