import { createTransport, type Transporter } from 'nodemailer';
import { signWebhook, WEBHOOK_HEADERS } from '@sodertorn/service-kit';
import type { Channel, SmtpSettings } from './notification-config';
import type { Message } from './message';

/** A delivery that did not go through, with a code fit for the log and the outbox (never a receiver's own text). */
export class DeliveryFailed extends Error {
  constructor(readonly code: string) {
    super(`delivery failed: ${code}`);
    this.name = 'DeliveryFailed';
  }
}

/** Sends one message over one channel; resolves when the receiver has taken it. */
export type Send = (channel: Channel, eventId: string, message: Message) => Promise<void>;

/** E-mail through one SMTP server (nodemailer) and signed webhooks (fetch). */
export function createSenders(smtp: SmtpSettings | null, timeoutMs: number): { send: Send; close(): void } {
  const mailer: Transporter | null = smtp
    ? createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        requireTLS: !smtp.secure && smtp.requireTls,
        ignoreTLS: !smtp.secure && !smtp.requireTls,
        auth: smtp.auth,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      })
    : null;
  // The Message-ID's domain: the sender's, so that mail systems that deduplicate by Message-ID do.
  const domain = smtp?.from.match(/@([^>\s]+)/)?.[1] ?? 'sodertorn.invalid';

  const send: Send = async (channel, eventId, message) => {
    if ('email' in channel) {
      if (!mailer || !smtp) throw new DeliveryFailed('NO_SMTP');
      await mailer
        // Quoted-printable: readable in any mail source, where base64 would hide what a message says (and a test could not search it).
        .sendMail({
          from: smtp.from,
          to: channel.email,
          subject: message.title,
          text: message.text,
          textEncoding: 'quoted-printable',
          messageId: `<${eventId}@${domain}>`,
          headers: { 'X-Notification-Id': eventId },
        })
        .catch((error: unknown) => {
          throw new DeliveryFailed(String((error as { code?: unknown }).code ?? 'SMTP_ERROR'));
        });
      return;
    }
    const body = JSON.stringify(message.json);
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(channel.webhook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_HEADERS.id]: eventId,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: signWebhook(channel.webhook.secret, timestamp, body),
      },
      body,
    }).catch((error: unknown) => {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      throw new DeliveryFailed(String(cause?.code ?? (error as Error).name ?? 'FETCH_ERROR'));
    });
    await response.body?.cancel();
    if (!response.ok) throw new DeliveryFailed(`HTTP_${response.status}`);
  };
  return { send, close: () => mailer?.close() };
}
