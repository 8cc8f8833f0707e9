import { IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsNotBlank } from '../common/validators';
import { SupportResourceKind } from './support-resource.enums';

@InputType()
export class RegisterSupportResourceInput {
  @Field(() => SupportResourceKind)
  kind!: SupportResourceKind;

  @Field()
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  name!: string;

  @Field(() => Int)
  @Min(0, { message: 'cannot be negative' })
  @Max(500, { message: 'must be at most 500' })
  capacity!: number;
}

@InputType({ description: 'Changes to a support resource; fields left out stay as they are' })
export class UpdateSupportResourceInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1–200 characters' })
  @IsNotBlank()
  name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'cannot be negative' })
  @Max(500, { message: 'must be at most 500' })
  capacity?: number;
}
