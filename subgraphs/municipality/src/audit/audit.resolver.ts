import type { EntityManager } from '@mikro-orm/postgresql';
import { dateProblem, EARLIEST_DATE, ValidationFailedError } from '@sodertorn/service-kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import { DateTime } from '../common/scalars';
import type { ShardContext } from '../context';
import { AuditChainVerifier } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import { AuditChainVerificationType, AuditEntryType } from './audit-entry.type';
import type { AuditAction } from './audit-log';

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'READ_PARTICIPANT',
  'READ_STREET_ADDRESS',
  'READ_AUDIT_LOG',
  'ACCESS_REQUEST',
  'CULL',
  'LEGAL_HOLD_PLACED',
  'LEGAL_HOLD_LIFTED',
];
/** Rows read at a time while verifying, so a long log is never held whole. */
const VERIFY_PAGE = 5000;
const MAX_PROBLEMS = 100;

/** The UTC day of a filter's instant (`YYYY-MM-DD`), or one inside every bound when the filter is left out. */
const dayOf = (instant: Date | null): string => (instant ? instant.toISOString().slice(0, 10) : EARLIEST_DATE);

/** A LIKE pattern matching `text` anywhere, its own %, _ and \ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Walks the stored log in seq order, `pageSize` rows at a time (bounded by the log's own length). */
export async function verifyStoredChain(em: EntityManager, pageSize = VERIFY_PAGE): Promise<AuditChainVerifier> {
  const verifier = new AuditChainVerifier();
  let after: number | null = null;
  for (;;) {
    const page: AuditEntry[] = await em.find(AuditEntry, after === null ? {} : { seq: { $gt: after } }, { orderBy: { seq: 'asc' }, limit: pageSize });
    for (const row of page) verifier.add({ ...row, seq: Number(row.seq), occurredAt: row.occurredAt.toISOString() });
    em.clear();
    if (page.length < pageSize) return verifier;
    after = Number(page.at(-1)!.seq);
  }
}

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
    @Arg('actorSub', () => String, { nullable: true, description: 'Only reads by this person or client (the `sub` of their token)' }) actorSub: string | null,
    @Arg('action', () => String, {
      nullable: true,
      description: 'Only this kind of read: READ_PARTICIPANT, READ_STREET_ADDRESS, READ_AUDIT_LOG or ACCESS_REQUEST',
    })
    action: string | null,
    @Arg('purpose', () => String, { nullable: true, description: 'Only reads whose stated purpose contains this text (any case)' }) purpose: string | null,
    @Ctx() { em, audit }: ShardContext,
  ): Promise<AuditEntry[]> {
    if (limit < 1 || limit > 1000) throw ValidationFailedError.of('limit', 'must be between 1 and 1000');
    // The API's one calendar (service-kit's date rules), on the day each instant falls in.
    const problems = [dateProblem({ field: 'from', value: dayOf(from) }), dateProblem({ field: 'to', value: dayOf(to) })].filter((p) => p !== null);
    if (problems.length > 0) throw new ValidationFailedError(problems);
    if (from && to && to <= from) throw ValidationFailedError.of('to', 'must be after from');
    // An argument left out arrives as undefined, one sent as null as null: both mean no filter.
    if (actorSub != null && (actorSub.length < 1 || actorSub.length > 200)) throw ValidationFailedError.of('actorSub', 'must be 1 to 200 characters');
    if (action != null && !AUDIT_ACTIONS.includes(action as AuditAction))
      throw ValidationFailedError.of('action', `must be one of ${AUDIT_ACTIONS.join(', ')}`);
    if (purpose != null && (purpose.length < 1 || purpose.length > 200)) throw ValidationFailedError.of('purpose', 'must be 1 to 200 characters');
    const where: Record<string, unknown> = {};
    if (from || to) where.occurredAt = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
    if (subjectId) where.subjectId = subjectId;
    if (afterSeq) where.seq = { $gt: afterSeq };
    if (actorSub) where.actorSub = actorSub;
    if (action) where.action = action;
    if (purpose) where.purpose = { $ilike: containing(purpose) };
    const entries = await em.find(AuditEntry, where, { orderBy: { seq: 'asc' }, limit });
    await audit.record({ action: 'READ_AUDIT_LOG', subjectType: 'AuditLog', subjectId: subjectId ?? '*' });
    return entries;
  }

  @Query(() => AuditChainVerificationType, {
    description:
      "Walks the municipality's whole audit log and checks its hash chain (an edited, removed or reordered row breaks it). Recorded as a read of the log.",
  })
  @MunicipalityArg()
  async auditChainVerification(@Ctx() { em, audit }: ShardContext): Promise<AuditChainVerificationType> {
    const verifier = await verifyStoredChain(em);
    await audit.record({ action: 'READ_AUDIT_LOG', subjectType: 'AuditLog', subjectId: 'verification' });
    return {
      intact: verifier.problems.length === 0,
      rows: verifier.rows,
      lastSeq: verifier.lastSeq,
      problems: verifier.problems.slice(0, MAX_PROBLEMS),
      verifiedAt: new Date(),
    };
  }
}
