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

  @Field({ description: 'READ_PARTICIPANT, READ_STREET_ADDRESS, READ_AUDIT_LOG or ACCESS_REQUEST' })
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

@ObjectType('AuditChainProblem', { description: 'One place where the hash chain does not hold' })
export class AuditChainProblemType {
  @Field(() => Int)
  seq!: number;

  @Field({ description: 'What is wrong there, e.g. its content does not match its hash: the row was edited' })
  problem!: string;
}

@ObjectType('AuditChainVerification', { description: "The result of walking the municipality's whole audit log and checking its hash chain" })
export class AuditChainVerificationType {
  @Field({ description: 'True when every row links to the one before it, matches its hash, and no position is missing' })
  intact!: boolean;

  @Field(() => Int, { description: 'Rows checked' })
  rows!: number;

  @Field(() => Int, { nullable: true, description: 'The last position checked; null for an empty log' })
  lastSeq!: number | null;

  @Field(() => [AuditChainProblemType], { description: 'Every place where it does not hold (at most 100), in seq order' })
  problems!: AuditChainProblemType[];

  @Field(() => DateTime)
  verifiedAt!: Date;
}
