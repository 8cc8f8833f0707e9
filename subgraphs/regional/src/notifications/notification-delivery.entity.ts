import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One event to one channel: retried with back-off until delivered or out of attempts. */
@Entity({ tableName: 'notification_delivery' })
@Unique({ name: 'notification_delivery_event_channel_unique', properties: ['eventId', 'channelId'] })
@Index({ name: 'notification_delivery_due_index', properties: ['status', 'nextAttemptAt'] })
export class NotificationDelivery {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  eventId: string;

  @Property({ length: 100 })
  channelId: string;

  @Property({ length: 10 })
  status: DeliveryStatus = 'PENDING';

  @Property({ type: 'smallint' })
  attempts: number = 0;

  @Property({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;

  /** Why the last attempt failed: an error code or HTTP status, never a receiver's own text. */
  @Property({ length: 100, nullable: true })
  lastError: string | null = null;

  constructor(eventId: string, channelId: string, nextAttemptAt: Date) {
    this.eventId = eventId;
    this.channelId = channelId;
    this.nextAttemptAt = nextAttemptAt;
  }
}
