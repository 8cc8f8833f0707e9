import { z } from 'zod';
import { MUNICIPAL_ROLES, Role } from './roles';

const kommunkod = z.string().regex(/^\d{4}$/, 'must be a four-digit kommunkod such as 0126');

/**
 * How an issuer's claims become this federation's identity. Defaults fit the
 * development providers: `sub`, `roles` holding role names, `municipality`.
 */
const ClaimMapping = z
  .object({
    /** The claim with the caller's stable id (Entra ID: `oid`). */
    subject: z.string().min(1).default('sub'),
    /** The claim with roles or groups: an array of strings, or one space-separated string. */
    roles: z.string().min(1).default('roles'),
    /**
     * Group or app-role value → this federation's role. With a map, values it does not name are
     * ignored (an Entra ID token lists every group of the user); without one, values must be role names.
     */
    roleMap: z.record(z.string().min(1), z.enum(Role)).optional(),
    /** Where the municipality comes from: a claim, or a fixed kommunkod for an issuer that serves one municipality. */
    municipality: z.union([z.object({ claim: z.string().min(1) }).strict(), z.object({ value: kommunkod }).strict()]).default({ claim: 'municipality' }),
  })
  .strict();

/** Whose word this issuer's tokens carry. */
const Vouching = z.union([
  /** A municipality's own identity provider: only that municipality's staff (caseworkers, housing managers, auditors). */
  z.object({ municipality: kommunkod }).strict(),
  /**
   * The region's identity provider: coordinators, analysts and services. `municipalStaff: true`
   * also lets it vouch for any municipality's staff — for a single development or test issuer
   * only; a real region leaves each municipality's staff to that municipality's provider.
   */
  z.object({ region: z.literal(true), municipalStaff: z.boolean().default(false) }).strict(),
]);

export const TrustedIssuer = z
  .object({
    /** The `iss` of its tokens, exactly; also where OIDC discovery starts (`<issuer>/.well-known/openid-configuration`). */
    issuer: z.string().min(1),
    /** The `aud` its tokens must name for this federation. */
    audience: z.string().min(1),
    vouchesFor: Vouching,
    claims: ClaimMapping.default(ClaimMapping.parse({})),
    /** Its JWKS URL, to skip discovery… */
    jwksUrl: z.url().optional(),
    /** …or its keys on disk (no network: tests, or an issuer without discovery). */
    jwksFile: z.string().min(1).optional(),
    /** `client_id`s whose tokens are refused even before they expire (a BI tool whose access was withdrawn). */
    revokedClients: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type TrustedIssuer = z.input<typeof TrustedIssuer>;
export type TrustedIssuerConfig = z.output<typeof TrustedIssuer>;
export type ClaimMapping = z.output<typeof ClaimMapping>;

export const TrustedIssuers = z
  .object({ issuers: z.array(TrustedIssuer).min(1, 'must list at least one trusted issuer') })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    value.issuers.forEach((entry, index) => {
      if (seen.has(entry.issuer)) context.addIssue({ code: 'custom', path: ['issuers', index, 'issuer'], message: `${entry.issuer} is listed twice` });
      seen.add(entry.issuer);
      const fixed = 'value' in entry.claims.municipality ? entry.claims.municipality.value : undefined;
      if (fixed && 'municipality' in entry.vouchesFor && fixed !== entry.vouchesFor.municipality) {
        context.addIssue({
          code: 'custom',
          path: ['issuers', index, 'claims', 'municipality', 'value'],
          message: `is ${fixed}, but the issuer vouches for ${entry.vouchesFor.municipality}`,
        });
      }
    });
  });

/** Parses a trusted-issuers document; the error names each wrong field. */
export function parseTrustedIssuers(json: unknown): TrustedIssuerConfig[] {
  const parsed = TrustedIssuers.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; '));
  return parsed.data.issuers;
}

/** The roles an issuer may vouch for (see Vouching). */
export function rolesVouchedFor(entry: TrustedIssuerConfig): ReadonlySet<Role> {
  const regional = Object.values(Role).filter((role) => !MUNICIPAL_ROLES.has(role));
  if ('municipality' in entry.vouchesFor) return MUNICIPAL_ROLES;
  return new Set(entry.vouchesFor.municipalStaff ? Object.values(Role) : regional);
}
