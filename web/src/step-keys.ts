/**
 * One idempotency key per thing and step, for the life of the page: a double click or a retry
 * takes the step once (the API returns the first result for a key it has seen).
 */
const stepKeys = new Map<string, string>();

export function keyFor(id: string, step: string): string {
  const name = `${id}/${step}`;
  if (!stepKeys.has(name)) stepKeys.set(name, crypto.randomUUID());
  return stepKeys.get(name)!;
}
