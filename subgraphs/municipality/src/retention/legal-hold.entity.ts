import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A legal hold on one case: `cull` keeps it, whatever its dates, until the hold is lifted.
 * Written by the owner role only (the `cull hold` / `cull lift` commands); the service reads it.
 */
@Entity({ tableName: 'legal_hold' })
export class LegalHold {
  @PrimaryKey({ type: 'uuid' })
  participantId!: string;

  /** The decision's diary or case number, never free text about the person. */
  @Property({ length: 60 })
  reference!: string;

  @Property({ length: 200 })
  placedBy!: string;

  @Property({ type: 'timestamptz' })
  placedAt!: Date;
}
