import { Role, type Identity } from '@sodertorn/auth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { STEP_RULES, stepAsParty } from './placement-access';
import { Placement } from './placement.entity';

const SENDING = '0126';
const RECEIVING = '0138';
const THIRD = '0181';

const placement = new Placement({
  sendingMunicipality: SENDING,
  requestId: randomUUID(),
  receivingMunicipality: RECEIVING,
  unitId: randomUUID(),
  places: 1,
  startsOn: '2026-01-01',
  endsOn: '2026-03-01',
  createdBy: 'coordinator',
  idempotencyKey: randomUUID(),
});

const caller = (role: Role, municipality?: string): Identity => ({ sub: `${role}-${municipality ?? 'region'}`, municipality, roles: [role], token: 't' });

/** Finds only `placement`, as the database would. */
const em = { findOne: async (_: unknown, where: { id: string }) => (where.id === placement.id ? placement : null) } as unknown as EntityManager;

describe('Placement steps: who may take each step after the offer', () => {
  // From docs/placements.md's table of steps (decline also by a coordinator, as since the saga was written).
  const cases: [string, (keyof typeof STEP_RULES)[], Identity][] = [
    ['a coordinator', ['decline', 'end', 'cancel'], caller(Role.COORDINATOR)],
    ["the receiving municipality's housing manager", ['accept', 'decline', 'end'], caller(Role.HOUSING_MANAGER, RECEIVING)],
    ["the sending municipality's caseworker", ['moveIn', 'end', 'cancel'], caller(Role.CASEWORKER, SENDING)],
    ["the sending municipality's housing manager", [], caller(Role.HOUSING_MANAGER, SENDING)],
    ["the receiving municipality's caseworker", [], caller(Role.CASEWORKER, RECEIVING)],
    ["a third municipality's caseworker", [], caller(Role.CASEWORKER, THIRD)],
    ["the region's service", [], caller(Role.SERVICE)],
    ['an analyst', [], caller(Role.ANALYST)],
  ];

  it.each(cases)('lets %s take exactly these steps: %j', async (_, allowed, identity) => {
    const taken: string[] = [];
    for (const step of Object.keys(STEP_RULES) as (keyof typeof STEP_RULES)[]) {
      const result = await stepAsParty({ em, identity }, placement.id, STEP_RULES[step], async (p) => p).then(
        () => 'taken',
        (error: { extensions?: { code?: string } }) => error.extensions?.code,
      );
      if (result === 'taken') taken.push(step);
      else expect(result).toBe('FORBIDDEN');
    }
    expect(taken).toEqual(allowed);
  });

  it('refuses before the step runs, naming the step and who may take it', async () => {
    const run = jest.fn();
    await expect(stepAsParty({ em, identity: caller(Role.CASEWORKER, RECEIVING) }, placement.id, STEP_RULES.moveIn, run)).rejects.toMatchObject({
      message: 'Only a caseworker of the sending municipality may record the move-in of this placement.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(run).not.toHaveBeenCalled();
  });

  it('runs the step on the placement found, as the caller', async () => {
    const run = jest.fn(async (p: Placement) => p);
    await expect(stepAsParty({ em, identity: caller(Role.HOUSING_MANAGER, RECEIVING) }, placement.id, STEP_RULES.accept, run)).resolves.toBe(placement);
    expect(run).toHaveBeenCalledWith(placement, `${Role.HOUSING_MANAGER}-${RECEIVING}`);
  });

  it('says NOT_FOUND for a placement that does not exist, whoever asks, before any rule is read', async () => {
    const run = jest.fn();
    await expect(stepAsParty({ em, identity: caller(Role.ANALYST) }, randomUUID(), STEP_RULES.accept, run)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(run).not.toHaveBeenCalled();
  });
});
