import { migrateMunicipalityDatabase, openMunicipalityDatabase, seedDemoMunicipality } from '@sodertorn/municipality';
import { migrateRegionalDatabase } from '@sodertorn/regional';
import type { MunicipalityEntry } from '@sodertorn/service-kit';

export interface SeedProgress {
  (line: string): void;
}

/**
 * Does what each service's `migrate` command does (migrations as the owner, then the runtime
 * role's grants), for the municipalities and the regional subgraph, and, if a municipality's
 * database is empty, seeds the deterministic demo data. In parallel; each reports when done.
 */
export async function migrateAndSeedRegion(
  members: readonly MunicipalityEntry[],
  urls: Record<string, string>,
  options: { seed: boolean; today: string; report: SeedProgress; runtimeRoles?: Record<string, string> },
): Promise<void> {
  let finished = 0;
  await migrateRegionalDatabase(urls.regional!, options.runtimeRoles?.regional);
  await Promise.all(
    members.map(async (member) => {
      await migrateMunicipalityDatabase(urls[member.code]!, options.runtimeRoles?.[member.code]);
      const orm = await openMunicipalityDatabase(urls[member.code]!);
      try {
        const result = options.seed ? await seedDemoMunicipality(orm.em.fork(), { municipalityCode: member.code, today: options.today }) : undefined;
        finished += 1;
        const what = !result
          ? 'migrated'
          : result.seeded
            ? `${result.participants} participants, ${result.housingUnits} housing units, ${result.bookings} bookings`
            : 'already had data, left as it was';
        options.report(`[${finished}/${members.length}] ${member.code} ${member.name}: ${what}`);
      } finally {
        await orm.close();
      }
    }),
  );
}
