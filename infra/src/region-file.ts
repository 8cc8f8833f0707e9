import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What the running local region looks like, for the command-line tools
 * (`npm run audit:verify`). Holds database passwords: local, mode 0600,
 * removed when the region stops.
 */
export const REGION_FILE = resolve(__dirname, '../../.data/region.json');

export interface RegionFile {
  gatewayUrl: string;
  /** The CA that signed the gateway's (development) certificate. */
  gatewayCaFile?: string;
  /** Connection URL per service: a municipality's code, or `regional`. */
  databaseUrls: Record<string, string>;
  /** The development identity providers, for `npm run token`: issuer URL by name (`region`, `0126`, …) and the dev-token-tool secret. */
  identity?: { issuers: Record<string, string>; devTokenSecret: string };
}

export function writeRegionFile(region: RegionFile): void {
  writeFileSync(REGION_FILE, JSON.stringify(region, null, 2), { mode: 0o600 });
  chmodSync(REGION_FILE, 0o600);
}

export function readRegionFile(): RegionFile | undefined {
  return existsSync(REGION_FILE) ? (JSON.parse(readFileSync(REGION_FILE, 'utf8')) as RegionFile) : undefined;
}

export function removeRegionFile(): void {
  rmSync(REGION_FILE, { force: true });
}
