import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { BookingRecord } from '../bookings/booking.record';
import { BookingType } from '../bookings/booking.type';
import { MunicipalityArg } from '../common/municipality-arg';
import type { ShardContext } from '../context';
import { findParticipant } from '../participants/participant.service';
import { ParticipantAccessDocumentType } from './access-request.type';
import { RecordedReadType } from './recorded-read.type';
import { addressReadsOfBooking, readsOfParticipant } from './recorded-reads';

@Resolver(() => ParticipantAccessDocumentType)
export class AccessRequestResolver {
  @Query(() => ParticipantAccessDocumentType, {
    description:
      "A participant's register extract (GDPR article 15): everything held about them, with every recorded read. Recorded as a read itself (ACCESS_REQUEST); state why in X-Purpose, without personal data (every municipality the extract asks records it).",
  })
  @MunicipalityArg()
  async accessRequest(
    @Arg('participantId', () => ID) participantId: string,
    @Ctx() { em, audit, municipalityCode }: ShardContext,
  ): Promise<ParticipantAccessDocumentType> {
    const participant = await findParticipant(em, participantId);
    // Written (and committed) before the log is read, so the extract lists its own production.
    await audit.record({ action: 'ACCESS_REQUEST', subjectType: 'Participant', subjectId: participant.id });
    return { producedAt: new Date(), municipalityCode, participant, reads: await readsOfParticipant(em, municipalityCode, participant.id) };
  }
}

/** The receiving side: the reads of a placed participant's address, for their home municipality. */
@Resolver(() => BookingType)
export class BookingAddressReadsResolver {
  @FieldResolver(() => [RecordedReadType], {
    nullable: true,
    description:
      "Reads of the unit's street address recorded here while this booking's participant lived there (or was about to), oldest first: for caseworkers of the municipality the booking's participant comes from. Recorded as a read of the audit log. Null, with a FORBIDDEN error, where refused.",
  })
  async addressReads(@Root() booking: BookingRecord, @Ctx() { em, audit, municipalityCode }: ShardContext): Promise<RecordedReadType[]> {
    await audit.record({ action: 'READ_AUDIT_LOG', subjectType: 'Booking', subjectId: booking.id });
    return addressReadsOfBooking(em, municipalityCode, booking.id);
  }
}
