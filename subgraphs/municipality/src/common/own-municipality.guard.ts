import { MunicipalityRequiredError, WrongMunicipalityError } from '@sodertorn/service-kit';
import type { MiddlewareFn } from 'type-graphql';
import type { ShardContext } from '../context';

/**
 * Root fields are "my municipality" operations. The municipality is the
 * caller's own (from the verified token) unless the field's `municipalityCode`
 * argument names another, which the access policy allows only some roles. A
 * deployment answers only for the municipality it serves.
 */
export const ownMunicipalityGuard: MiddlewareFn<ShardContext> = async ({ args, info, context }, next) => {
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  const takesMunicipality = isRoot && info.parentType.getFields()[info.fieldName]?.args.some((a) => a.name === 'municipalityCode');
  if (takesMunicipality) {
    const target = (args.municipalityCode as string | null | undefined) ?? context.identity?.municipality;
    if (!target) {
      throw new MunicipalityRequiredError(`${info.fieldName} needs a municipality: your token names none, so pass municipalityCode.`);
    }
    if (target !== context.municipalityCode) throw new WrongMunicipalityError(target, context.municipalityCode);
  }
  return next();
};
