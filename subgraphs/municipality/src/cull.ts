import 'reflect-metadata';
import { clientCredentialsTokenProvider } from '@sodertorn/auth';
import { ConfigError, createLogger, env, parseEnv, parseServiceCredentialsEnv, todayInStockholm, z } from '@sodertorn/service-kit';
import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { connectMunicipalityDatabase } from './database/orm';
import { runCull } from './retention/cull';
import { planCull } from './retention/cull-plan';
import { liftLegalHold, listLegalHolds, placeLegalHold } from './retention/legal-hold';
import { gatewayRegionForgetter } from './retention/region-forgetter';
import { retentionSettingsShape } from './retention/retention-settings';

/** The command's report goes to standard output (a CronJob's log): counts and opaque ids only. */
const print = (line: string) => void process.stdout.write(`${line}\n`);

const USAGE = `usage: cull [--dry-run] | cull hold <participant id> --reference <decision's diary number> | cull lift <participant id> | cull holds`;

/**
 * The `cull` command of a municipal deployment (the image's `cull`, a Kubernetes CronJob): applies
 * the municipality's retention rules to its own database as the owner role, and asks the region to
 * forget the culled cases' placements. Prints counts and opaque ids only. Exit 0 when done, 1 when
 * the region did not confirm (nothing was culled), 2 on a usage or settings error.
 */
async function main(): Promise<void> {
  // Started as the image's `service.js cull …`, the first argument is the command's own name.
  const args = process.argv.slice(2);
  if (args[0] === 'cull') args.shift();
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, reference: { type: 'string' } },
  });
  const [command = 'run', participantId] = positionals;
  const settings = parseEnv('cull', {
    MUNICIPALITY_CODE: env.municipalityCode(),
    CULL_DATABASE_URL: env.postgresUrl(),
    CULL_RUN_BY: z.string().min(1).max(200).default('cull-job'),
    GATEWAY_URL: z.url('must be the gateway’s GraphQL URL, e.g. https://api.sodertorn.se/graphql').optional(),
    GATEWAY_CA_FILE: z.string().optional(),
    ...retentionSettingsShape,
    LOG_LEVEL: env.logLevel(),
  });
  const logger = createLogger('cull', settings.LOG_LEVEL);
  const orm = await connectMunicipalityDatabase(settings.CULL_DATABASE_URL, (message) => logger.debug(message));
  const change = { municipalityCode: settings.MUNICIPALITY_CODE, participantId: participantId ?? '', by: settings.CULL_RUN_BY };
  try {
    if (command === 'hold') {
      const outcome = await placeLegalHold(orm.em, { ...change, reference: values.reference ?? '' });
      print(`legal hold on ${change.participantId}: ${outcome}`);
      return;
    }
    if (command === 'lift') {
      print(`legal hold on ${change.participantId}: ${await liftLegalHold(orm.em, change)}`);
      return;
    }
    if (command === 'holds') {
      for (const hold of await listLegalHolds(orm.em)) print(`${hold.participantId}  ${hold.reference}  since ${hold.placedAt}`);
      return;
    }
    if (command !== 'run') throw new ConfigError('cull', [USAGE]);
    const problems = (['CASE_RETENTION_YEARS', 'AUDIT_RETENTION_YEARS'] as const)
      .filter((name) => settings[name] === undefined)
      .map((name) => `${name} is required to cull`);
    if (problems.length) throw new ConfigError('cull', problems);
    const rules = { caseRetentionYears: settings.CASE_RETENTION_YEARS!, auditRetentionYears: settings.AUDIT_RETENTION_YEARS! };
    const asOf = new Date();
    const today = todayInStockholm(asOf);
    if (values['dry-run']) {
      const plan = await planCull(orm.em.fork(), rules, asOf);
      print(
        `dry run for ${settings.MUNICIPALITY_CODE} on ${today} (cases ${rules.caseRetentionYears} years after exit, audit rows ${rules.auditRetentionYears} years): nothing changed`,
      );
      print(`cases due: ${plan.dueCases.length}`);
      for (const due of plan.dueCases) print(`  participant ${due.participantId}  placement requests: ${due.requestIds.join(', ') || '-'}`);
      print(`cases kept by a legal hold: ${plan.heldCases.length}${plan.heldCases.length ? ` (${plan.heldCases.join(', ')})` : ''}`);
      print(`cases kept with a placement request in progress: ${plan.casesWithLiveRequests.length}`);
      print(`audit rows due: ${plan.auditRows.count}${plan.auditRows.count ? ` (seq ${plan.auditRows.firstSeq}–${plan.auditRows.lastSeq})` : ''}`);
      return;
    }
    if (!settings.GATEWAY_URL)
      throw new ConfigError('cull', ['GATEWAY_URL is required to cull: the region is asked, through the gateway, to forget the culled cases']);
    const credentials = parseServiceCredentialsEnv('cull');
    if (!credentials) throw new ConfigError('cull', ['SERVICE_CLIENT_ID is required to cull: the municipality’s own client with role RETENTION_SERVICE']);
    if (settings.GATEWAY_CA_FILE) setDefaultCACertificates([...getCACertificates('default'), readFileSync(settings.GATEWAY_CA_FILE, 'utf8')]);
    const { report } = await runCull(orm.em, {
      municipalityCode: settings.MUNICIPALITY_CODE,
      rules,
      asOf,
      runBy: settings.CULL_RUN_BY,
      forgetInRegion: gatewayRegionForgetter(settings.GATEWAY_URL, clientCredentialsTokenProvider(credentials)),
    });
    logger.info({ ...report }, 'culled');
    for (const [what, count] of Object.entries(report)) print(`${what.padEnd(28)} ${typeof count === 'object' ? JSON.stringify(count) : count}`);
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  const usage = (error as { code?: unknown })?.code; // node:util parseArgs: ERR_PARSE_ARGS_UNKNOWN_OPTION and the like
  const configError =
    error instanceof Error &&
    (error.name === 'ConfigError' ||
      (error as { extensions?: { code?: string } }).extensions?.code === 'VALIDATION_FAILED' ||
      (typeof usage === 'string' && usage.startsWith('ERR_PARSE_ARGS_')));
  process.stderr.write(`cull: ${(error as Error)?.message ?? error}\n`);
  process.exit(configError ? 2 : 1);
});
