import { Role, type Identity } from '@sodertorn/auth';
import { ForbiddenError } from '@sodertorn/service-kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { Placement } from './placement.entity';

/** Which side of a placement the caller is on, from the verified token. */
export function partiesOf(identity: Identity | undefined, placement: Placement) {
  const has = (role: Role) => !!identity?.roles.includes(role);
  return {
    coordinator: has(Role.COORDINATOR),
    service: has(Role.SERVICE),
    sendingCaseworker: has(Role.CASEWORKER) && identity?.municipality === placement.sendingMunicipality,
    receivingHousingManager: has(Role.HOUSING_MANAGER) && identity?.municipality === placement.receivingMunicipality,
  };
}

/** Who canSee lets see a placement, for a refusal that names them. */
export const PLACEMENT_VIEWERS = 'coordinators, caseworkers of the sending municipality and housing managers of the receiving municipality';

/** The parties may see their placements: coordinators all, staff only those their municipality is in. */
export function canSee(identity: Identity | undefined, placement: Placement): boolean {
  const p = partiesOf(identity, placement);
  return p.coordinator || p.service || p.sendingCaseworker || p.receivingHousingManager;
}

/**
 * The same rule as canSee, as a database filter: the placements the caller may
 * see, so a list is cut to them before its limit, not after. null: none.
 */
export function visiblePlacements(identity: Identity | undefined): FilterQuery<Placement> | null {
  const has = (role: Role) => !!identity?.roles.includes(role);
  if (has(Role.COORDINATOR) || has(Role.SERVICE)) return {};
  const municipality = identity?.municipality;
  const sides: FilterQuery<Placement>[] = [];
  if (municipality && has(Role.CASEWORKER)) sides.push({ sendingMunicipality: municipality });
  if (municipality && has(Role.HOUSING_MANAGER)) sides.push({ receivingMunicipality: municipality });
  return sides.length ? { $or: sides } : null;
}

export function assertParty(allowed: boolean, step: string, who: string): void {
  if (!allowed) throw new ForbiddenError(`Only ${who} may ${step} this placement.`);
}
