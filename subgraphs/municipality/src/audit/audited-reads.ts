import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { ShardContext } from '../context';
import type { AuditAction } from './audit-log';

interface AuditedRead {
  action: AuditAction;
  /** The subject's id on the object being resolved. */
  subjectId: (source: { id: string }) => string;
}

/** Reads of personal data: any field of a Participant, and a unit's street address. */
const AUDITED: Record<string, (fieldName: string) => AuditedRead | undefined> = {
  Participant: () => ({ action: 'READ_PARTICIPANT', subjectId: (p) => p.id }),
  HousingUnit: (field) => (field === 'streetAddress' ? { action: 'READ_STREET_ADDRESS', subjectId: (u) => u.id } : undefined),
};

/**
 * Wraps the resolvers of personal fields so the read is written to the audit log
 * (and committed) before the value is returned. One row per subject and request.
 */
export function auditPersonalReads(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const audited = AUDITED[typeName]?.(fieldName);
      if (!audited) return field;
      const resolve: GraphQLFieldResolver<{ id: string }, ShardContext> = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: async (source, args, context, info) => {
          await context.audit.record({ action: audited.action, subjectType: typeName, subjectId: audited.subjectId(source) });
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
