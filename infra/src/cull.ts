import 'reflect-metadata';
import { Role } from '@sodertorn/auth';
import { devUserToken } from '@sodertorn/identity-provider';
import {
  connectMunicipalityDatabase,
  gatewayRegionForgetter,
  liftLegalHold,
  listLegalHolds,
  placeLegalHold,
  planCull,
  retentionSettingsShape,
  runCull,
} from '@sodertorn/municipality';
import { ConfigError, parseEnv } from '@sodertorn/service-kit';
import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { readRegionFile } from './region-file';

const print = (line: string) => void process.stdout.write(`${line}\n`);

/**
 * `npm run cull` for the running `npm start` region: what a municipality's `cull` job does in a
 * deployment (subgraphs/municipality/src/cull.ts), for each municipality or the one named, with a
 * development RETENTION_SERVICE token from its own identity provider.
 *
 *   CASE_RETENTION_YEARS=5 AUDIT_RETENTION_YEARS=10 npm run cull -- --dry-run [--municipality 0126]
 *   CASE_RETENTION_YEARS=5 AUDIT_RETENTION_YEARS=10 npm run cull [-- --municipality 0126]
 *   npm run cull -- hold <participant id> --reference "KS 2026/117" --municipality 0126
 *   npm run cull -- lift <participant id> --municipality 0126
 */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, municipality: { type: 'string' }, reference: { type: 'string' } },
  });
  const [command = 'run', participantId = ''] = positionals;
  const region = readRegionFile();
  if (!region?.identity) throw new Error('no running region: start it with `npm start`');
  const codes = Object.keys(region.databaseUrls).filter((name) => name !== 'regional' && (!values.municipality || name === values.municipality));
  if (!codes.length)
    throw new Error(
      `--municipality must be one of ${Object.keys(region.databaseUrls)
        .filter((n) => n !== 'regional')
        .join(', ')}`,
    );
  if (region.gatewayCaFile) setDefaultCACertificates([...getCACertificates('default'), readFileSync(region.gatewayCaFile, 'utf8')]);
  if ((command === 'hold' || command === 'lift') && codes.length !== 1) throw new Error(`${command} needs --municipality: the one whose case it is`);

  for (const code of codes) {
    // The region file holds each database's owner URL, the role `cull` must run as.
    const orm = await connectMunicipalityDatabase(region.databaseUrls[code]!);
    const change = { municipalityCode: code, participantId, by: 'cull-cli' };
    try {
      if (command === 'hold')
        print(`${code}: legal hold on ${participantId}: ${await placeLegalHold(orm.em, { ...change, reference: values.reference ?? '' })}`);
      else if (command === 'lift') print(`${code}: legal hold on ${participantId}: ${await liftLegalHold(orm.em, change)}`);
      else if (command === 'holds')
        for (const hold of await listLegalHolds(orm.em)) print(`${code}: ${hold.participantId}  ${hold.reference}  since ${hold.placedAt}`);
      else if (command === 'run') await cullOne(code, orm, values['dry-run']!, region.gatewayUrl, region.identity);
      else throw new Error(`unknown command "${command}": run, hold, lift or holds`);
    } finally {
      await orm.close();
    }
  }
}

async function cullOne(
  code: string,
  orm: Awaited<ReturnType<typeof connectMunicipalityDatabase>>,
  dryRun: boolean,
  gatewayUrl: string,
  identity: { issuers: Record<string, string>; devTokenSecret: string },
): Promise<void> {
  const settings = parseEnv('npm run cull', retentionSettingsShape);
  const { CASE_RETENTION_YEARS: caseRetentionYears, AUDIT_RETENTION_YEARS: auditRetentionYears } = settings;
  if (caseRetentionYears === undefined || auditRetentionYears === undefined)
    throw new ConfigError('npm run cull', ['CASE_RETENTION_YEARS and AUDIT_RETENTION_YEARS are required: the retention rules to apply, in years']);
  const rules = { caseRetentionYears, auditRetentionYears };
  if (dryRun) {
    const plan = await planCull(orm.em.fork(), rules, new Date());
    print(
      `${code}: dry run, nothing changed. Cases due: ${plan.dueCases.length}; kept by a legal hold: ${plan.heldCases.length}; audit rows due: ${plan.auditRows.count}`,
    );
    for (const due of plan.dueCases) print(`  participant ${due.participantId}  placement requests: ${due.requestIds.join(', ') || '-'}`);
    return;
  }
  const token = () =>
    devUserToken(identity.issuers[code]!, identity.devTokenSecret, { sub: `cull-cli-${code}`, roles: [Role.RETENTION_SERVICE], municipality: code });
  const { report } = await runCull(orm.em, {
    municipalityCode: code,
    rules,
    asOf: new Date(),
    runBy: 'cull-cli',
    forgetInRegion: gatewayRegionForgetter(gatewayUrl, token),
  });
  print(`${code}: ${JSON.stringify(report)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run cull: ${(error as Error).message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
