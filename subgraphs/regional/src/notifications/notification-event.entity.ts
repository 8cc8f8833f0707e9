import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { EventData, EventType, Recipient } from './event-types';

/**
 * The outbox: one row per event someone must act on, written in the same transaction as
 * the state change that causes it, and sent from here by the dispatcher. Pseudonymous
 * references only (ids, kommunkoder, dates) — never a name, personnummer or address.
 */
@Entity({ tableName: 'notification_event' })
@Index({ name: 'notification_event_fanned_out_index', properties: ['fannedOutAt'] })
export class NotificationEvent {
  /** The event id: receivers deduplicate by it (webhook-id header, Message-ID). */
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 40 })
  type: EventType;

  @Property({ type: 'jsonb' })
  recipients: Recipient[];

  @Property({ type: 'jsonb' })
  data: EventData;

  /** For events found by a periodic check (hold lapsing, ending soon): one event per thing, however often it is found. */
  @Property({ length: 200, nullable: true })
  @Unique({ name: 'notification_event_dedupe_key_unique' })
  dedupeKey: string | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /** When the dispatcher made its deliveries (one per matching channel); null until then. */
  @Property({ type: 'timestamptz', nullable: true })
  fannedOutAt: Date | null = null;

  constructor(type: EventType, recipients: Recipient[], data: EventData, dedupeKey: string | null = null) {
    this.type = type;
    this.recipients = recipients;
    this.data = data;
    this.dedupeKey = dedupeKey;
  }
}
