import { randomUUID } from 'node:crypto';

/**
 * A random request id that every service keeps as sent: a canonical UUID written
 * with the hex letters a–f only. The services replace an `x-request-id` whose
 * digits spell a valid personnummer (about one random UUID in 4,000 does), so a
 * test that finds its rows by a plain `randomUUID()` fails that often by chance;
 * with no digits there is nothing to spell.
 */
export function keptRequestId(): string {
  return randomUUID().replace(/\d/g, (digit) => 'abcdefabcd'.charAt(Number(digit)));
}
