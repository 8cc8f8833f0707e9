import { ALL_ROLES, MUNICIPAL_ROLES, Role } from '@sodertorn/auth';
import { devUserToken } from '@sodertorn/identity-provider';
import { parseArgs } from 'node:util';
import { providerFor } from './dev-identity';
import { readRegionFile } from './region-file';

/**
 * `npm run token -- --role caseworker --municipality 0126` prints an access token
 * from the running region's development identity providers: a municipality's
 * own provider for its staff, the region's for everyone else (`--provider`
 * picks another, e.g. to see a Huddinge token claiming Botkyrka refused).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      municipality: { type: 'string' },
      sub: { type: 'string' },
      provider: { type: 'string' },
    },
  });
  const roles = (values.role ?? []).map((r) => r.toUpperCase().replace(/-/g, '_'));
  /** A role as the flag writes it: housing-manager. */
  const flag = (role: string) => role.toLowerCase().replace(/_/g, '-');
  const unknown = roles.filter((r) => !ALL_ROLES.includes(r as Role));
  if (!roles.length || unknown.length) {
    throw new Error(`--role must be one of ${ALL_ROLES.map(flag).join(', ')}${unknown.length ? ` (not ${unknown.map(flag).join(', ')})` : ''}`);
  }
  if (values.municipality && !/^\d{4}$/.test(values.municipality)) throw new Error('--municipality must be a four-digit kommunkod such as 0126');
  if (!values.municipality && roles.some((r) => MUNICIPAL_ROLES.has(r as Role))) {
    throw new Error(`${roles.map(flag).join(', ')} belongs to a municipality: add --municipality 0126 (or another kommunkod)`);
  }
  const identity = readRegionFile()?.identity;
  if (!identity) throw new Error('no running region: tokens come from its identity providers, so start it first with `npm start`');
  const wanted = { roles: roles as Role[], municipality: values.municipality };
  const provider = values.provider ?? providerFor(wanted);
  const issuer = identity.issuers[provider];
  if (!issuer) throw new Error(`--provider must be one of ${Object.keys(identity.issuers).join(', ')}`);
  const sub = values.sub ?? `dev-${roles.map(flag).join('-')}${values.municipality ? `-${values.municipality}` : ''}`;
  console.log(await devUserToken(issuer, identity.devTokenSecret, { ...wanted, sub }));
}

main().catch((error: unknown) => {
  console.error(`npm run token: ${(error as Error).message}`);
  process.exit(1);
});
