import { MUNICIPAL_ROLES, Role } from './roles';
import { rolesVouchedFor, type TrustedIssuerConfig } from './trusted-issuers';

export interface VerifiedClaims {
  sub: string;
  municipality?: string;
  roles: Role[];
}

const LACKS = 'the token lacks valid sub, roles or municipality claims';

/** A claim's values: an array of strings, or one space-separated string (as `scp` is). */
function claimValues(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * Reads this federation's identity out of a verified token's payload with the
 * issuer's claim mapping, then checks the issuer may vouch for it: a
 * municipality's provider only for its own staff, only the region's provider for
 * coordinators, analysts and services. Returns the claims, or why they are refused.
 */
export function mapClaims(payload: Record<string, unknown>, trusted: TrustedIssuerConfig): VerifiedClaims | { refused: string } {
  const mapping = trusted.claims;
  const sub = payload[mapping.subject];
  if (typeof sub !== 'string' || sub.length < 1 || sub.length > 200) return { refused: `${LACKS}: no valid ${mapping.subject} claim` };

  const values = claimValues(payload[mapping.roles]);
  if (!values) return { refused: `${LACKS}: no ${mapping.roles} claim` };
  let roles: Role[];
  if (mapping.roleMap) {
    roles = [...new Set(values.flatMap((value) => (mapping.roleMap![value] ? [mapping.roleMap![value]] : [])))];
    if (!roles.length) return { refused: `${LACKS}: none of its ${mapping.roles} maps to a role of this federation` };
  } else {
    const unknown = values.filter((value) => !Object.values(Role).includes(value as Role));
    if (unknown.length || !values.length) return { refused: `${LACKS}: ${mapping.roles} must name one or more of ${Object.values(Role).join(', ')}` };
    roles = values as Role[];
  }

  const municipality = 'value' in mapping.municipality ? mapping.municipality.value : payload[mapping.municipality.claim];
  if (municipality !== undefined && (typeof municipality !== 'string' || !/^\d{4}$/.test(municipality))) {
    return { refused: `${LACKS}: the municipality is not a four-digit kommunkod` };
  }
  if (roles.some((role) => MUNICIPAL_ROLES.has(role)) && municipality === undefined) return { refused: `${LACKS}: municipal roles need a municipality` };

  const mayVouchFor = rolesVouchedFor(trusted);
  const overreach = roles.filter((role) => !mayVouchFor.has(role));
  if (overreach.length) {
    const rule =
      'municipality' in trusted.vouchesFor
        ? `a municipality's identity provider vouches only for its own staff (${[...MUNICIPAL_ROLES].join(', ')}); only the region's vouches for ${overreach.join(', ')}`
        : `only each municipality's own identity provider vouches for its staff (${overreach.join(', ')})`;
    return { refused: `the issuer ${trusted.issuer} may not vouch for ${overreach.join(', ')}: ${rule}` };
  }
  if ('municipality' in trusted.vouchesFor && municipality !== trusted.vouchesFor.municipality) {
    return {
      refused: `the issuer ${trusted.issuer} vouches only for municipality ${trusted.vouchesFor.municipality}'s staff, and the token claims municipality ${String(municipality)}`,
    };
  }
  return { sub, roles, ...(municipality !== undefined ? { municipality } : {}) };
}
