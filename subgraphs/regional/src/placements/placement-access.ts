import { Role, type Identity } from '@sodertorn/auth';
import { ForbiddenError } from '@sodertorn/service-kit';
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

/** The parties may see their placements: coordinators all, staff only those their municipality is in. */
export function canSee(identity: Identity | undefined, placement: Placement): boolean {
  const p = partiesOf(identity, placement);
  return p.coordinator || p.service || p.sendingCaseworker || p.receivingHousingManager;
}

export function assertParty(allowed: boolean, step: string, who: string): void {
  if (!allowed) throw new ForbiddenError(`Only ${who} may ${step} this placement.`);
}
