import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, LocalDate } from '../common/scalars';
import { BookingStatus } from './booking.enums';

@Directive('@key(fields: "municipalityCode id")')
@ObjectType('Booking', { description: 'Places of one housing unit over a date range' })
export class BookingType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'Kommunkod of the municipality that owns the unit' })
  municipalityCode!: string;

  @Field(() => Int)
  places!: number;

  @Field(() => LocalDate, { description: 'First night' })
  startsOn!: string;

  @Field(() => LocalDate, { description: 'Day of moving out (exclusive)' })
  endsOn!: string;

  @Field(() => BookingStatus)
  status!: BookingStatus;

  @Field(() => ID, { nullable: true, description: 'The regional placement the booking serves; null for bookings made locally' })
  placementId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Kommunkod of the municipality whose participant the booking is for' })
  sendingMunicipality!: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When a HELD booking lapses and its places are free again; null once confirmed, and for holds without a time limit',
  })
  expiresAt!: Date | null;
}
