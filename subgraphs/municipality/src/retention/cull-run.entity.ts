import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The cull log: one row per cull, counts and settings only (no ids of what went). Written by the owner role only. */
@Entity({ tableName: 'cull_run' })
export class CullRun {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'smallint' })
  caseRetentionYears!: number;

  @Property({ type: 'smallint' })
  auditRetentionYears!: number;

  @Property({ type: 'int' })
  casesCulled!: number;

  @Property({ type: 'int' })
  placementRequestsRemoved!: number;

  @Property({ type: 'int' })
  idempotencyRecordsRemoved!: number;

  @Property({ type: 'int' })
  auditRowsTombstoned!: number;

  @Property({ type: 'int' })
  heldCasesSkipped!: number;

  /** What the region reported removing (counts by kind). */
  @Property({ type: 'jsonb' })
  region!: Record<string, number>;

  @Property({ length: 200 })
  runBy!: string;
}
