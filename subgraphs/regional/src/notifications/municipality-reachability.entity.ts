import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * What the reconciler last saw of a municipality: since when it has not answered, and the
 * "unavailable" event written for that outage (so it is told once, and "back" once after it).
 */
@Entity({ tableName: 'municipality_reachability' })
export class MunicipalityReachability {
  @PrimaryKey({ length: 4 })
  code: string;

  @Property({ type: 'timestamptz', nullable: true })
  unreachableSince: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  unavailableEventId: string | null = null;

  constructor(code: string) {
    this.code = code;
  }
}
