import { z } from '@sodertorn/service-kit';

const YEARS = 'must be a whole number of years, 1 to 100';
const years = () => z.coerce.number({ error: YEARS }).int(YEARS).min(1, YEARS).max(100, YEARS);

/**
 * The municipality's retention rules, from its deployment settings (the same ConfigMap feeds the
 * service and the cull job, so a typo stops both): the service only checks them, `cull` applies them.
 */
export const retentionSettingsShape = {
  /** Years after a closed case's exit date (COMPLETED or DISCONTINUED) before it is culled. */
  CASE_RETENTION_YEARS: years().optional(),
  /** Years an audit row is kept before its content is culled (the row stays as a tombstone). */
  AUDIT_RETENTION_YEARS: years().optional(),
};

export interface RetentionRules {
  caseRetentionYears: number;
  auditRetentionYears: number;
}
