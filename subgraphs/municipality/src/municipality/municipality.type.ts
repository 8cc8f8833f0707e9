import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The municipality as this deployment knows it. Its fields are nullable on
 * purpose: when one municipality's deployment is down, the gateway returns the
 * region's other municipalities and nulls only the missing one's fields.
 */
@Directive('@key(fields: "code")')
@ObjectType('Municipality')
export class MunicipalityType {
  @Field(() => ID, { description: 'Kommunkod, e.g. 0126 (Huddinge)' })
  code!: string;
}
