import { ALL_ROLES, MUNICIPAL_ROLES } from '@sodertorn/auth';
import { devUserToken } from '@sodertorn/identity-provider';
import { parseArgs } from 'node:util';
import { providerFor } from './dev-identity';
import { readRegionFile } from './region-file';
import { roleFlag, roleFromFlag } from './role-flag';

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
  const flags = values.role ?? [];
  const unknown = flags.filter((f) => !roleFromFlag(f));
  if (!flags.length || unknown.length) {
    throw new Error(`--role must be one of ${ALL_ROLES.map(roleFlag).join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
  }
  const roles = flags.map((f) => roleFromFlag(f)!);
  if (values.municipality && !/^\d{4}$/.test(values.municipality)) throw new Error('--municipality must be a four-digit kommunkod such as 0126');
  if (!values.municipality && roles.some((r) => MUNICIPAL_ROLES.has(r))) {
    throw new Error(`${roles.map(roleFlag).join(', ')} belongs to a municipality: add --municipality 0126 (or another kommunkod)`);
  }
  const identity = readRegionFile()?.identity;
  if (!identity) throw new Error('no running region: tokens come from its identity providers, so start it first with `npm start`');
  const wanted = { roles, municipality: values.municipality };
  const provider = values.provider ?? providerFor(wanted);
  const issuer = identity.issuers[provider];
  if (!issuer) throw new Error(`--provider must be one of ${Object.keys(identity.issuers).join(', ')}`);
  const sub = values.sub ?? `dev-${roles.map(roleFlag).join('-')}${values.municipality ? `-${values.municipality}` : ''}`;
  console.log(await devUserToken(issuer, identity.devTokenSecret, { ...wanted, sub }));
}

main().catch((error: unknown) => {
  console.error(`npm run token: ${(error as Error).message}`);
  process.exit(1);
});
