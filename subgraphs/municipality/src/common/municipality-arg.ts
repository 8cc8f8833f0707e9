import { Arg, ID } from 'type-graphql';

/** The routing argument of every municipal root field. */
export const MUNICIPALITY_ARG = {
  nullable: true,
  description: "Kommunkod of the municipality to address. Default: the caller's own (from the token). Only some roles may name another.",
} as const;

/**
 * Declares `municipalityCode` on a municipal root field. The gateway routes by it
 * and the deployment knows its own code from its configuration, so no resolver
 * reads the value: rather than an unused parameter per resolver, this method
 * decorator gives type-graphql's own `@Arg` a parameter position after the
 * method's declared ones. Its value is then passed as one more argument, which
 * the method ignores. Method decorators run after parameter decorators, so the
 * argument is registered last and printed last, as in schema/municipality.graphql.
 */
export function MunicipalityArg(): MethodDecorator {
  return (prototype, methodName) => {
    const declared: unknown[] | undefined = Reflect.getMetadata('design:paramtypes', prototype, methodName);
    if (!declared) throw new Error(`@MunicipalityArg on ${String(methodName)} needs decorator metadata (emitDecoratorMetadata) to count its parameters`);
    Arg('municipalityCode', () => ID, MUNICIPALITY_ARG)(prototype, methodName, declared.length);
  };
}
