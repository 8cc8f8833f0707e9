import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "code")')
@ObjectType('Municipality', { description: 'A member municipality of the Södertörn region' })
export class MunicipalityRef {
  @Field(() => ID, { description: 'Kommunkod, e.g. 0126' })
  code!: string;

  @Field({ description: 'Name, e.g. Huddinge' })
  name!: string;
}

@ObjectType('Region', { description: 'The Södertörn collaboration: its members, and through them the shared capacity' })
export class RegionType {
  @Field({ description: 'Name of the collaboration' })
  name!: string;
}
