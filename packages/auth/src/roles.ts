/** What a person (or service) may do, as carried in the token's `roles` claim. */
export enum Role {
  /** Handläggare: own participants in full, own requests, regional capacity. */
  CASEWORKER = 'CASEWORKER',
  /** Own housing units in full (address too), incoming placements to own units. */
  HOUSING_MANAGER = 'HOUSING_MANAGER',
  /** Samordnare (regional): capacity everywhere without addresses, pseudonymous requests, placements. */
  COORDINATOR = 'COORDINATOR',
  /** BI tools: aggregate statistics only. */
  ANALYST = 'ANALYST',
  /** Own municipality's audit log. */
  AUDITOR = 'AUDITOR',
  /**
   * Dataskydd: answers the data subjects' requests of the own municipality — an own participant's
   * register extract (accessRequest), and nothing else of the programme's data.
   */
  DATA_PROTECTION_OFFICER = 'DATA_PROTECTION_OFFICER',
  /** Service-to-service calls (regional → shards), with the narrowest rights. */
  SERVICE = 'SERVICE',
  /**
   * A municipality's own culling job (client credentials from the municipality's own identity
   * provider): asks the region to forget what it holds under that municipality's culled cases.
   */
  RETENTION_SERVICE = 'RETENTION_SERVICE',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/** Roles that belong to one municipality and must carry a `municipality` claim. */
export const MUNICIPAL_ROLES: ReadonlySet<Role> = new Set([
  Role.CASEWORKER,
  Role.HOUSING_MANAGER,
  Role.AUDITOR,
  Role.DATA_PROTECTION_OFFICER,
  Role.RETENTION_SERVICE,
]);
