/**
 * Synthesizes the stack with bundling (esbuild, once per function, as `npx cdk synth` does) into the
 * directory named on the command line, then writes `manifest.json` there: the template and where each
 * function's bundle is. Run in a child process by global-setup.ts, so CDK's synchronous esbuild calls
 * never block the test runner.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { FUNCTIONS } from '../../../lambdas/contract/functions.ts';
import { synthStack } from '../synth.ts';
import { MANIFEST, type Manifest } from './files.ts';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: build.ts <outdir>');

const { stack, template } = synthStack({ bundle: true, outdir: path.join(outdir, 'cdk.out') });
const bundles: Manifest['bundles'] = {};
for (const f of FUNCTIONS) {
  const code = stack.functions.get(f.name)!.function.node.findChild('Code') as Asset;
  bundles[f.name] = path.join(Stage.of(stack)!.outdir, code.assetPath);
}
const manifest: Manifest = { template: template.toJSON(), bundles };
// Written whole, then renamed: a reader never sees half a manifest.
const partial = path.join(outdir, `${MANIFEST}.partial`);
writeFileSync(partial, JSON.stringify(manifest));
renameSync(partial, path.join(outdir, MANIFEST));
