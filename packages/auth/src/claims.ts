import { z } from 'zod';
import { MUNICIPAL_ROLES, Role } from './roles';

const Claims = z
  .object({
    sub: z.string().min(1).max(200),
    municipality: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    roles: z.array(z.enum(Role)).min(1),
  })
  .refine((c) => !c.roles.some((r) => MUNICIPAL_ROLES.has(r)) || c.municipality !== undefined, {
    message: 'municipal roles need a municipality claim',
  });

export type VerifiedClaims = z.infer<typeof Claims>;

/** Checks the claims this federation relies on; anything else in the token is ignored. */
export function parseClaims(payload: unknown): VerifiedClaims | null {
  const result = Claims.safeParse(payload);
  return result.success ? result.data : null;
}
