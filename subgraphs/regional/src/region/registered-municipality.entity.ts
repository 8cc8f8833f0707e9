import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One member of the region, synchronised from infra/municipalities.json at start. */
@Entity({ tableName: 'municipality' })
@Check({ name: 'municipality_code_format', expression: "code ~ '^[0-9]{4}$'" })
export class RegisteredMunicipality {
  @PrimaryKey({ length: 4 })
  code: string;

  @Property({ length: 100 })
  name: string;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(code: string, name: string) {
    this.code = code;
    this.name = name;
  }
}
