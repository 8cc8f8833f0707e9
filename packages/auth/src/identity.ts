import type { Role } from './roles';

/** Who is calling, as proven by a verified token. Nothing here comes from an unverified header. */
export interface Identity {
  /** The user's (or service's) stable id. */
  sub: string;
  /** Kommunkod of the caller's municipality; absent for regional staff and region-wide tools. */
  municipality?: string;
  roles: readonly Role[];
  /** The verified token itself, forwarded unchanged to subgraphs. */
  token: string;
}

export function hasRole(identity: Identity | undefined, ...roles: Role[]): boolean {
  return !!identity && roles.some((role) => identity.roles.includes(role));
}
