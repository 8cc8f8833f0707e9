import { ALL_ROLES, MUNICIPAL_ROLES, Role } from '@sodertorn/auth';
import { parseArgs } from 'node:util';
import { openDevIdentity } from './dev-identity';

/**
 * `npm run token -- --role caseworker --municipality 0126` prints a development
 * token signed by the local issuer, which `npm start` makes the services trust.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      municipality: { type: 'string' },
      sub: { type: 'string' },
      'expires-in': { type: 'string', default: '8h' },
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
  const { issuer } = await openDevIdentity();
  const sub = values.sub ?? `dev-${roles.map(flag).join('-')}${values.municipality ? `-${values.municipality}` : ''}`;
  console.log(await issuer.mint({ sub, roles: roles as Role[], municipality: values.municipality, expiresIn: values['expires-in'] }));
}

main().catch((error: unknown) => {
  console.error(`npm run token: ${(error as Error).message}`);
  process.exit(1);
});
