import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { ParticipantType } from '../participants/participant.type';
import { RecordedReadType } from './recorded-read.type';

/**
 * A register extract (GDPR article 15) of one participant, as the home municipality holds it.
 * The placements come from the region through the federation (PlacementRequest.placements), and
 * the reads other municipalities recorded from their own shards (Booking.addressReads): nothing
 * of theirs is copied here, and nothing of this one is sent there.
 */
@ObjectType('ParticipantAccessDocument', {
  description:
    "Everything held about one participant (registerutdrag, GDPR article 15): the personal data with phase and dates, the placement requests (and through them the region's placements and the receiving municipalities' reads of the unit's address), and every read recorded in this municipality. Producing it is recorded as a read (ACCESS_REQUEST).",
})
export class ParticipantAccessDocumentType {
  @Field(() => DateTime)
  producedAt!: Date;

  @Field(() => ID, { description: 'Kommunkod of the home municipality that holds the participant' })
  municipalityCode!: string;

  @Field(() => ParticipantType)
  participant!: ParticipantType;

  @Field(() => [RecordedReadType], {
    description: "Every read of the participant recorded in this municipality's audit log, oldest first, this document's own production last",
  })
  reads!: RecordedReadType[];
}
