import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import type { PlacementRequest } from '../placement-requests/placement-request.entity';
import { PlacementRequestType } from '../placement-requests/placement-request.type';
import { ParticipantPhase } from './participant.enums';
import { Participant } from './participant.entity';
import { RegisterParticipantInput, UpdateParticipantInput } from './participant.inputs';
import { findParticipant, registerParticipant, updateParticipant } from './participant.service';
import { ParticipantType, PhaseChangeType } from './participant.type';
import type { PhaseChange } from '../loaders';

/** Own-municipality operations on participants. `municipalityCode` routes the call to its deployment. */
@Resolver(() => ParticipantType)
export class ParticipantResolver {
  @Query(() => [ParticipantType], { description: "The municipality's participants, newest intake first" })
  @MunicipalityArg()
  async participants(
    @Arg('phase', () => ParticipantPhase, { nullable: true }) phase: ParticipantPhase | null,
    // So that a client can ask for the names of the others only: a protected person's are then
    // fetched one at a time, on purpose (x-purpose), and never sit in a list's answer.
    @Arg('protectedIdentity', () => Boolean, {
      nullable: true,
      description: 'Only participants with (true) or without (false) skyddade personuppgifter; left out, both',
    })
    protectedIdentity: boolean | null,
    @Ctx() { em }: ShardContext,
  ): Promise<Participant[]> {
    return em.find(
      Participant,
      { ...(phase ? { phase } : {}), ...(protectedIdentity != null ? { protectedIdentity } : {}) },
      { orderBy: { intakeDate: 'desc', id: 'asc' } },
    );
  }

  @Query(() => ParticipantType)
  @MunicipalityArg()
  async participant(@Arg('id', () => ID) id: string, @Ctx() { em }: ShardContext): Promise<Participant> {
    return findParticipant(em, id);
  }

  @Mutation(() => ParticipantType, { description: 'Registers a participant at intake' })
  @MunicipalityArg()
  async registerParticipant(@Arg('input', () => RegisterParticipantInput) input: RegisterParticipantInput, @Ctx() { em }: ShardContext): Promise<Participant> {
    return registerParticipant(em, input);
  }

  @Mutation(() => ParticipantType)
  @MunicipalityArg()
  async updateParticipant(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateParticipantInput) input: UpdateParticipantInput,
    @Ctx() { em }: ShardContext,
  ): Promise<Participant> {
    return updateParticipant(em, id, input);
  }

  @FieldResolver(() => [PhaseChangeType], { description: 'Every phase the participant entered, oldest first (recorded since registration)' })
  async phaseHistory(@Root() participant: Participant, @Ctx() { loaders }: ShardContext): Promise<PhaseChange[]> {
    return loaders.phaseHistoryOfParticipant.load(participant.id);
  }

  @FieldResolver(() => [PlacementRequestType])
  async placementRequests(@Root() participant: Participant, @Ctx() { loaders }: ShardContext): Promise<PlacementRequest[]> {
    return loaders.placementRequestsOfParticipant.load(participant.id);
  }
}
