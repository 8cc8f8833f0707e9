import type { EntityManager } from '@mikro-orm/postgresql';
import type { MunicipalityEntry } from '@sodertorn/service-kit';
import { RegisteredMunicipality } from './registered-municipality.entity';

/** Makes the database's registry equal the configured one: upsert members, remove those no longer listed. */
export async function syncRegistry(em: EntityManager, entries: readonly MunicipalityEntry[]): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.nativeDelete(RegisteredMunicipality, { code: { $nin: entries.map((e) => e.code) } });
    for (const entry of entries) {
      await tx.upsert(RegisteredMunicipality, { code: entry.code, name: entry.name, updatedAt: new Date() });
    }
  });
}
