import { Role, type Identity } from '@sodertorn/auth';
import { ForbiddenError } from '@sodertorn/service-kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { RegionalContext } from '../context';
import type { Placement } from './placement.entity';
import { findPlacement } from './placement-saga';

export interface Parties {
  coordinator: boolean;
  service: boolean;
  sendingCaseworker: boolean;
  receivingHousingManager: boolean;
  /** A data protection officer of the sending municipality: sees the placement (for a register extract), takes no step. */
  sendingDataProtection: boolean;
}

/** Which side of a placement the caller is on, from the verified token. */
export function partiesOf(identity: Identity | undefined, placement: Placement): Parties {
  const has = (role: Role) => !!identity?.roles.includes(role);
  return {
    coordinator: has(Role.COORDINATOR),
    service: has(Role.SERVICE),
    sendingCaseworker: has(Role.CASEWORKER) && identity?.municipality === placement.sendingMunicipality,
    receivingHousingManager: has(Role.HOUSING_MANAGER) && identity?.municipality === placement.receivingMunicipality,
    sendingDataProtection: has(Role.DATA_PROTECTION_OFFICER) && identity?.municipality === placement.sendingMunicipality,
  };
}

/** Who canSee lets see a placement, for a refusal that names them. */
export const PLACEMENT_VIEWERS =
  'coordinators, caseworkers and data protection officers of the sending municipality and housing managers of the receiving municipality';

/** The parties may see their placements: coordinators all, staff only those their municipality is in. */
export function canSee(identity: Identity | undefined, placement: Placement): boolean {
  const p = partiesOf(identity, placement);
  return p.coordinator || p.service || p.sendingCaseworker || p.receivingHousingManager || p.sendingDataProtection;
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
  if (municipality && (has(Role.CASEWORKER) || has(Role.DATA_PROTECTION_OFFICER))) sides.push({ sendingMunicipality: municipality });
  if (municipality && has(Role.HOUSING_MANAGER)) sides.push({ receivingMunicipality: municipality });
  return sides.length ? { $or: sides } : null;
}

export function assertParty(allowed: boolean, step: string, who: string): void {
  if (!allowed) throw new ForbiddenError(`Only ${who} may ${step} this placement.`);
}

/** Who may take a step after the offer, and how a refusal names the step and them. */
export interface StepRule {
  /** Completes "Only … may <verb> this placement." */
  verb: string;
  who: string;
  may: (parties: Parties) => boolean;
}

export const STEP_RULES = {
  accept: { verb: 'accept', who: 'a housing manager of the receiving municipality', may: (p) => p.receivingHousingManager },
  decline: { verb: 'decline', who: 'the receiving housing manager or a coordinator', may: (p) => p.receivingHousingManager || p.coordinator },
  moveIn: { verb: 'record the move-in of', who: 'a caseworker of the sending municipality', may: (p) => p.sendingCaseworker },
  end: {
    verb: 'end',
    who: 'the two municipalities or a coordinator',
    may: (p) => p.sendingCaseworker || p.receivingHousingManager || p.coordinator,
  },
  cancel: { verb: 'cancel', who: 'a coordinator or the sending caseworker', may: (p) => p.coordinator || p.sendingCaseworker },
} as const satisfies Record<string, StepRule>;

/**
 * The one way a step after the offer starts: find the placement (NOT_FOUND), refuse
 * a caller the rule does not let take it (FORBIDDEN, before any shard is called),
 * then run the saga's step as the caller.
 */
export async function stepAsParty(
  ctx: Pick<RegionalContext, 'em' | 'identity'>,
  id: string,
  rule: StepRule,
  run: (placement: Placement, actorSub: string) => Promise<Placement>,
): Promise<Placement> {
  const placement = await findPlacement(ctx.em, id);
  assertParty(rule.may(partiesOf(ctx.identity, placement)), rule.verb, rule.who);
  return run(placement, ctx.identity!.sub);
}
