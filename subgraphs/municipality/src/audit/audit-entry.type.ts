import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';

@ObjectType('AuditEntry', { description: 'One read of personal data in this municipality, as recorded in its hash-chained audit log' })
export class AuditEntryType {
  @Field(() => Int, { description: 'Position in the chain, from 1' })
  seq!: number;

  @Field(() => DateTime)
  occurredAt!: Date;

  @Field({ description: 'Who read: the `sub` of their token' })
  actorSub!: string;

  @Field(() => [String])
  actorRoles!: string[];

  @Field(() => ID, { nullable: true })
  actorMunicipality!: string | null;

  @Field({ description: 'READ_PARTICIPANT, READ_STREET_ADDRESS or READ_AUDIT_LOG' })
  action!: string;

  @Field()
  subjectType!: string;

  @Field(() => ID)
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'Why, as the reader stated it (X-Purpose header)' })
  purpose!: string | null;

  @Field()
  requestId!: string;

  @Field()
  prevHash!: string;

  @Field()
  hash!: string;
}
