import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@sodertorn/service-kit';
import { RegisteredMunicipality } from '../region/registered-municipality.entity';
import type { Recipient } from './event-types';
import { renderMessage } from './message';
import type { Channel, NotificationSettings } from './notification-config';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationEvent } from './notification-event.entity';
import { createSenders, DeliveryFailed, type Send } from './senders';
import { writeDueEvents } from './watch';

/** Deliveries claimed per round; each is sent at once, side by side. */
const BATCH = 20;

/**
 * Sends the outbox: every `intervalMs` it writes the events that time made due, makes one
 * delivery per event and matching channel, and sends the deliveries that are due. A delivery
 * that fails is tried again after min(retryBaseMs·2ⁿ⁻¹, retryMaxMs), up to `maxAttempts`: at
 * least once, so receivers deduplicate by the event id. Runs beside the server on its own
 * timer, one round at a time; no request waits for it.
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  private readonly senders: { send: Send; close(): void };

  constructor(
    private readonly orm: MikroORM,
    private readonly settings: NotificationSettings,
    private readonly logger: Logger,
  ) {
    this.senders = createSenders(settings.smtp, settings.sendTimeoutMs);
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the timer and waits for a round in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    this.senders.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runOnce().catch((error: unknown) =>
        this.logger.error({ errorClass: (error as Error).constructor?.name }, 'notification round failed; trying again next round'),
      );
      void this.round.finally(() => this.schedule());
    }, this.settings.intervalMs);
  }

  /** One round: due events, fan-out, sending. */
  async runOnce(now = new Date()): Promise<void> {
    await writeDueEvents(this.orm.em.fork(), this.settings, now);
    await this.fanOut(now);
    await this.deliverDue();
  }

  private async fanOut(now: Date): Promise<void> {
    const em = this.orm.em.fork();
    const events = await em.find(NotificationEvent, { fannedOutAt: null }, { orderBy: { createdAt: 'asc' }, limit: 200 });
    for (const event of events) {
      for (const channel of channelsFor(this.settings.channels, event.recipients)) em.persist(new NotificationDelivery(event.id, channel.id, now));
      event.fannedOutAt = now;
    }
    await em.flush();
  }

  private async deliverDue(): Promise<void> {
    const em = this.orm.em.fork();
    const lease = Math.max(this.settings.sendTimeoutMs * 2, 30_000);
    // Claim a batch by moving its next attempt past the lease: another regional process skips it, and a
    // process that dies mid-send leaves it to be tried again when the lease has run out.
    const claimed: { id: string }[] = await em.getConnection().execute(
      `update notification_delivery set next_attempt_at = now() + make_interval(secs => ?) where id in (
         select id from notification_delivery where status = 'PENDING' and next_attempt_at <= now() order by next_attempt_at limit ? for update skip locked)
       returning id`,
      [lease / 1000, BATCH],
    );
    if (!claimed.length) return;
    const deliveries = await em.find(NotificationDelivery, { id: { $in: claimed.map((c) => c.id) } });
    const events = new Map((await em.find(NotificationEvent, { id: { $in: deliveries.map((d) => d.eventId) } })).map((e) => [e.id, e]));
    const names = new Map((await em.find(RegisteredMunicipality, {})).map((m) => [m.code, m.name]));
    const channels = new Map(this.settings.channels.map((c) => [c.id, c]));
    await Promise.all(
      deliveries.map(async (delivery) => {
        const channel = channels.get(delivery.channelId);
        const event = events.get(delivery.eventId)!;
        delivery.attempts += 1;
        try {
          if (!channel) throw new DeliveryFailed('CHANNEL_REMOVED');
          await this.senders.send(channel, event.id, renderMessage(event, names, this.settings.webAppUrl));
          delivery.status = 'DELIVERED';
          delivery.deliveredAt = new Date();
          delivery.lastError = null;
        } catch (error) {
          delivery.lastError = (error instanceof DeliveryFailed ? error.code : ((error as Error).constructor?.name ?? 'ERROR')).slice(0, 100);
          const context = { eventId: event.id, type: event.type, channelId: delivery.channelId, attempts: delivery.attempts, code: delivery.lastError };
          if (delivery.attempts >= this.settings.maxAttempts || !channel) {
            delivery.status = 'FAILED';
            this.logger.error(context, 'notification not delivered; giving up');
          } else {
            delivery.nextAttemptAt = new Date(Date.now() + backOff(delivery.attempts, this.settings));
            this.logger.warn(context, 'notification not delivered; will retry');
          }
        }
      }),
    );
    await em.flush();
  }
}

/** Back-off after the n-th failed attempt: doubling from the base, capped. */
export function backOff(attempts: number, settings: Pick<NotificationSettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(settings.retryBaseMs * 2 ** Math.min(attempts - 1, 30), settings.retryMaxMs);
}

/** The channels that serve any of the recipients: same role, and same municipality (coordinators have none). */
export function channelsFor(channels: readonly Channel[], recipients: readonly Recipient[]): Channel[] {
  return channels.filter((c) => recipients.some((r) => r.role === c.role && r.municipality === c.municipality));
}
