import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';

/**
 * One read of a participant's data as an access request (registerutdrag) shows it: who, in which
 * role and municipality, when, what and why. Taken from the audit log of the municipality that
 * recorded it; the chain's hashes and the request id stay with that municipality's auditors.
 */
@ObjectType('RecordedRead', { description: "One recorded read of a participant's data, as an access request lists it" })
export class RecordedReadType {
  @Field(() => ID, { description: 'Kommunkod of the municipality whose audit log recorded the read' })
  municipalityCode!: string;

  @Field(() => Int, { description: "Position in that municipality's audit log" })
  seq!: number;

  @Field(() => DateTime)
  occurredAt!: Date;

  @Field({ description: 'Who read: the `sub` of their token' })
  actorSub!: string;

  @Field(() => [String])
  actorRoles!: string[];

  @Field(() => ID, { nullable: true, description: 'Kommunkod of the reader’s municipality; null for the region’s staff and services' })
  actorMunicipality!: string | null;

  @Field({ description: 'READ_PARTICIPANT, READ_STREET_ADDRESS, READ_AUDIT_LOG or ACCESS_REQUEST' })
  action!: string;

  @Field({ description: 'What was read: Participant, HousingUnit (its street address) or AuditLog' })
  subjectType!: string;

  @Field(() => String, { nullable: true, description: 'Why, as the reader stated it (X-Purpose header)' })
  purpose!: string | null;
}
