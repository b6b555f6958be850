#!/usr/bin/env node
// The `comms` command. It runs the TypeScript sources through tsx, so there is no build step and the CLI
// always uses the same core as the Lambdas.
import process from 'node:process';
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./comms/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
