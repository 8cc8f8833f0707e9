import { Role } from '@sodertorn/auth';
import { devUserToken, REGION_PROVIDER } from '@sodertorn/identity-provider';
import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { readRegionFile } from './region-file';

/**
 * `npm run reconcile`: asks the running region to compare the placements with
 * the shards and repair mismatches now (it also does so periodically), and
 * prints what it found. Uses a development service token; a deployment calls
 * the `reconcilePlacements` mutation with its own.
 */
async function main(): Promise<void> {
  const region = readRegionFile();
  const gatewayUrl = process.env.GATEWAY_URL ?? region?.gatewayUrl;
  if (!gatewayUrl) throw new Error('no running region: start it with `npm start`, or set GATEWAY_URL');
  // The local region's gateway has a certificate of the development CA: trusted beside the system's.
  if (region?.gatewayCaFile && !process.env.GATEWAY_URL)
    setDefaultCACertificates([...getCACertificates('default'), readFileSync(region.gatewayCaFile, 'utf8')]);
  const identity = region?.identity;
  if (!process.env.TOKEN && !identity) throw new Error('no token: set TOKEN, or run the region with `npm start` to get one from its identity provider');
  const token =
    process.env.TOKEN ?? (await devUserToken(identity!.issuers[REGION_PROVIDER]!, identity!.devTokenSecret, { sub: 'reconcile-cli', roles: [Role.SERVICE] }));
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query:
        'mutation { reconcilePlacements { expiredOffers failedPendingOffers stepsFinished orphanHoldsReleased requestsReopened acceptancesCompleted unreachable } }',
    }),
  });
  const body = (await response.json()) as { data?: { reconcilePlacements: Record<string, unknown> }; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  const report = body.data!.reconcilePlacements;
  for (const [what, count] of Object.entries(report)) console.log(`${what.padEnd(22)} ${Array.isArray(count) ? count.join(', ') || '-' : count}`);
  if ((report.unreachable as string[]).length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`npm run reconcile: ${(error as Error).message}`);
  process.exit(2);
});
