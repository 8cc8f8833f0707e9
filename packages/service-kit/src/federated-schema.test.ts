import 'reflect-metadata';
import { graphql, type GraphQLSchema } from 'graphql';
import { Arg, Field, FieldResolver, ObjectType, Query, Resolver, Root, type MiddlewareFn } from 'type-graphql';
import { buildFederatedSchema } from './federated-schema';

@ObjectType('Room')
class RoomType {
  @Field()
  name!: string;

  @Field()
  beds!: number;
}

@Resolver(() => RoomType)
class RoomResolver {
  @Query(() => [RoomType])
  rooms(): RoomType[] {
    return [
      { name: 'A', beds: 2 },
      { name: 'B', beds: 3 },
    ];
  }

  @FieldResolver(() => String, { nullable: true })
  label(@Root() room: RoomType, @Arg('prefix', () => String) prefix: string): string {
    return `${prefix}${room.name}`;
  }

  @FieldResolver(() => Number)
  doubled(@Root() room: RoomType): number {
    return room.beds * 2;
  }
}

describe('buildFederatedSchema: argument middlewares', () => {
  let seen: string[];
  const recording: MiddlewareFn = async ({ info }, next) => {
    seen.push(`${info.parentType.name}.${info.fieldName}`);
    return next();
  };
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildFederatedSchema({ resolvers: [RoomResolver], argumentMiddlewares: [recording] });
  });
  beforeEach(() => {
    seen = [];
  });

  it('run for root fields and for fields that take arguments, on every object, and not for the other fields', async () => {
    const result = await graphql({ schema, source: '{ rooms { name beds doubled label(prefix: "Rum ") } }', contextValue: {} });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      rooms: [
        { name: 'A', beds: 2, doubled: 4, label: 'Rum A' },
        { name: 'B', beds: 3, doubled: 6, label: 'Rum B' },
      ],
    });
    expect(seen.sort()).toEqual(['Query.rooms', 'Room.label', 'Room.label']);
  });

  it('still refuse a control character in an argument of a field inside a result, naming the argument', async () => {
    const result = await graphql({ schema, source: '{ rooms { label(prefix: "Rum\\u0000") } }', contextValue: {} });
    expect(result.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['VALIDATION_FAILED', ['rooms', 0, 'label']],
      ['VALIDATION_FAILED', ['rooms', 1, 'label']],
    ]);
    expect(JSON.stringify(result.errors?.[0]?.extensions)).toContain('prefix');
    // The refusal comes first: the other middlewares and the resolver never ran.
    expect(seen).toEqual(['Query.rooms']);
  });
});
