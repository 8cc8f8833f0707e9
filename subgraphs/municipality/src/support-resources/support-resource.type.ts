import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SupportResourceKind } from './support-resource.enums';

@ObjectType('SupportResource', { description: 'Mentor or programme slots a municipality can offer' })
export class SupportResourceType {
  @Field(() => ID)
  id!: string;

  @Field(() => SupportResourceKind)
  kind!: SupportResourceKind;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Participants it can support at once' })
  capacity!: number;
}
