#!/usr/bin/env node
// The `comms` command. A checkout with its devDependencies runs the TypeScript sources through tsx, so a
// change to them is never hidden behind a bundle built before it; an install runs dist/comms.mjs, the
// bundle `npm install`/`npm pack` build (bin/build-comms.mjs), with plain Node.
import { existsSync } from 'node:fs';
import console from 'node:console';
import process from 'node:process';
import { URL } from 'node:url';

const sources = new URL('./comms/main.ts', import.meta.url);
const bundle = new URL('../dist/comms.mjs', import.meta.url);

async function load() {
  if (existsSync(sources)) {
    const tsx = await import('tsx/esm/api').catch(() => undefined);
    if (tsx) return tsx.tsImport(sources.href, import.meta.url);
  }
  if (existsSync(bundle)) return import(bundle.href);
  console.error(
    'comms: dist/comms.mjs is missing; run `npm install` (or `node bin/build-comms.mjs`) to build it',
  );
  process.exit(1);
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
