import 'reflect-metadata';
import { graphql, printSchema } from 'graphql';
import { Arg, buildSchema, Ctx, Int, Query, Resolver } from 'type-graphql';
import { MunicipalityArg } from './municipality-arg';

@Resolver()
class EchoResolver {
  @Query(() => String)
  @MunicipalityArg()
  echo(@Arg('text', () => String) text: string, @Arg('times', () => Int) times: number, @Ctx() ctx: { suffix: string }): string {
    return `${text.repeat(times)}${ctx.suffix}`;
  }
}

describe('@MunicipalityArg: the routing argument without a parameter', () => {
  const schema = buildSchema({ resolvers: [EchoResolver], validate: false });

  it('declares municipalityCode: ID, nullable, described, last, after the declared arguments (which type-graphql prints last to first, as in schema/municipality.graphql)', async () => {
    expect(printSchema(await schema)).toContain(
      [
        '  echo(',
        '    times: Int!',
        '    text: String!',
        '',
        '    """',
        "    Kommunkod of the municipality to address. Default: the caller's own (from the token). Only some roles may name another.",
        '    """',
        '    municipalityCode: ID',
        '  ): String!',
      ].join('\n'),
    );
  });

  it.each([
    ['{ echo(text: "ab", times: 2, municipalityCode: "0126") }', 'abab!'],
    ['{ echo(municipalityCode: null, times: 3, text: "x") }', 'xxx!'],
    ['{ echo(text: "z", times: 1) }', 'z!'],
  ])("gives the method's parameters their own values: %s", async (source, echoed) => {
    const result = await graphql({ schema: await schema, source, contextValue: { suffix: '!' } });
    expect(result).toEqual({ data: { echo: echoed } });
  });
});
