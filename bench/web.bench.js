// Web app bench (npm run bench builds first): the initial JavaScript of the built app, gzip-compressed
// as a browser downloads it: every script index.html loads before the first page shows (the chart,
// loaded on demand, is not part of it). Budget (issue 14): 250 KB gzip.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

const BUDGET_KB = 250;
const dist = path.join(__dirname, '..', 'web', 'dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
let raw = 0;
let gzip = 0;
for (const src of scripts) {
  const body = readFileSync(path.join(dist, src));
  raw += body.length;
  gzip += gzipSync(body, { level: 9 }).length;
  console.log(`  ${src}: ${(body.length / 1024).toFixed(1)} KB, ${(gzipSync(body, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
}
const kb = gzip / 1024;
console.log(
  `initial JavaScript: ${scripts.length} file(s), ${(raw / 1024).toFixed(1)} KB, ${kb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB): ${kb <= BUDGET_KB ? 'within' : 'OVER'} budget`,
);
if (kb > BUDGET_KB) process.exitCode = 1;
