import { ALL_ROLES, type Role } from '@sodertorn/auth';

/** A role as `npm run token`'s --role writes it: HOUSING_MANAGER is housing-manager. */
export function roleFlag(role: string): string {
  return role.toLowerCase().replaceAll('_', '-');
}

/** The role a --role value names (housing-manager, or HOUSING_MANAGER as the API writes it); undefined for none. */
export function roleFromFlag(flag: string): Role | undefined {
  const role = flag.toUpperCase().replaceAll('-', '_');
  return ALL_ROLES.includes(role as Role) ? (role as Role) : undefined;
}
