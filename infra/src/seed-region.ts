import { openMunicipalityDatabase, seedDemoMunicipality } from '@sodertorn/municipality';
import type { MunicipalityEntry } from '@sodertorn/service-kit';

export interface SeedProgress {
  (line: string): void;
}

/**
 * Runs each municipality's migrations and, if its database is empty, seeds the
 * deterministic demo data. Municipalities run in parallel; each reports when done.
 */
export async function migrateAndSeedRegion(
  members: readonly MunicipalityEntry[],
  urls: Record<string, string>,
  options: { seed: boolean; today: string; report: SeedProgress },
): Promise<void> {
  let finished = 0;
  await Promise.all(
    members.map(async (member) => {
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
