import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One read of personal data. Append-only: the database refuses UPDATE, DELETE
 * and TRUNCATE on this table (trigger and revoked privileges, see migrations),
 * and each row carries the hash of the one before it.
 */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_occurred_at_index', properties: ['occurredAt'] })
@Index({ name: 'audit_log_subject_index', properties: ['subjectType', 'subjectId'] })
@Index({ name: 'audit_log_concerns_bookings_index', properties: ['concernsBookings'], type: 'gin' })
export class AuditEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  seq!: number;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ length: 200 })
  actorSub!: string;

  @Property({ type: 'text[]' })
  actorRoles!: string[];

  @Property({ length: 4, nullable: true })
  actorMunicipality!: string | null;

  @Property({ length: 40 })
  action!: string;

  @Property({ length: 40 })
  subjectType!: string;

  @Property({ length: 100 })
  subjectId!: string;

  @Property({ length: 200, nullable: true })
  purpose!: string | null;

  @Property({ length: 100 })
  requestId!: string;

  @Property({ length: 64 })
  prevHash!: string;

  /**
   * For a read of a unit's street address: the placement bookings of the unit it concerns (confirmed,
   * or ended and not yet moved out of, when it was read); empty otherwise. See audit-log.ts.
   */
  @Property({ columnType: 'uuid[]', type: 'string[]', default: '{}' })
  concernsBookings: string[] = [];

  @Property({ length: 64 })
  hash!: string;

  /** The cull run that turned this row into a tombstone (content emptied, seq and hashes kept); null for a live row. */
  @Property({ type: 'uuid', nullable: true })
  culledIn!: string | null;
}
