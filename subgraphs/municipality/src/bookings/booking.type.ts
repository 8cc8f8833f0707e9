import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../common/scalars';
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
}
