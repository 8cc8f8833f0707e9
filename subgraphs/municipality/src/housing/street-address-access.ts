import type { AuthorizationContext } from '@sodertorn/service-kit';
import type { ShardContext } from '../context';

/**
 * The receiving caseworker's right to a unit's street address: the caller's
 * municipality has a CONFIRMED booking in the unit (the booking's sending
 * municipality). Not once the booking is only held, nor after it is released
 * or ended. A grant condition (see access-policy.ts): evaluated only for the
 * role it is granted to, per unit, batched per request.
 */
export async function hasConfirmedPlacementInUnit(source: unknown, context: AuthorizationContext): Promise<boolean> {
  const municipality = context.identity?.municipality;
  const unitId = (source as { id?: unknown }).id;
  if (!municipality || typeof unitId !== 'string') return false;
  return (context as ShardContext).loaders.hasConfirmedBookingFrom(municipality).load(unitId);
}
