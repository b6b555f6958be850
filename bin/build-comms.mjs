#!/usr/bin/env node
// Bundles the `comms` CLI (bin/comms/main.ts and the product code it uses) into one JavaScript file, so an
// install without devDependencies (no tsx, no TypeScript) runs it with plain Node. npm runs this as
// `prepare`: after `npm install` in a checkout and before `npm pack`. The packages stay imports, resolved
// from the dependencies npm installs with the package.
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'comms.mjs'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install that left out devDependencies has no esbuild, and keeps the bundle it was packed with.
  console.log('comms: esbuild is not installed, so dist/comms.mjs is not rebuilt');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [path.join(root, 'bin', 'comms', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
