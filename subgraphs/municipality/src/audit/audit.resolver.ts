import { ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import { DateTime } from '../common/scalars';
import type { ShardContext } from '../context';
import { AuditEntry } from './audit-entry.entity';
import { AuditEntryType } from './audit-entry.type';

@Resolver(() => AuditEntryType)
export class AuditResolver {
  @Query(() => [AuditEntryType], { description: "The municipality's audit log, oldest first. Reading it is itself recorded." })
  @MunicipalityArg()
  async auditLog(
    @Arg('from', () => DateTime, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTime, { nullable: true }) to: Date | null,
    @Arg('subjectId', () => ID, { nullable: true, description: 'Only reads of this participant or unit' }) subjectId: string | null,
    @Arg('afterSeq', () => Int, { nullable: true, description: 'Continue after this position' }) afterSeq: number | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Ctx() { em, audit }: ShardContext,
  ): Promise<AuditEntry[]> {
    if (limit < 1 || limit > 1000) throw ValidationFailedError.of('limit', 'must be between 1 and 1000');
    const where: Record<string, unknown> = {};
    if (from || to) where.occurredAt = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
    if (subjectId) where.subjectId = subjectId;
    if (afterSeq) where.seq = { $gt: afterSeq };
    const entries = await em.find(AuditEntry, where, { orderBy: { seq: 'asc' }, limit });
    await audit.record({ action: 'READ_AUDIT_LOG', subjectType: 'AuditLog', subjectId: subjectId ?? '*' });
    return entries;
  }
}
