/**
 * The dependency rule of lambdas/ (docs/architecture.md, "The dependency rule"), enforced on every import:
 *
 *   handlers → services → adapters → domain      messages → domain      all → contract
 *
 * A layer imports itself and the layers it points at, nothing else: the domain stays pure, adapters are the
 * only I/O, and a handler never reaches into another handler (what two handlers share belongs in a
 * lower layer). lambdas/ never imports the local runtime, the CLI, the CDK app or the tests.
 */
import path from 'node:path';

const LAMBDAS = `${path.sep}lambdas${path.sep}`;

/** Each layer and the layers it may import (besides itself). */
export const LAYERS = {
  contract: [],
  domain: ['contract'],
  messages: ['domain', 'contract'],
  adapters: ['domain', 'contract'],
  services: ['adapters', 'messages', 'domain', 'contract'],
  handlers: ['services', 'adapters', 'messages', 'domain', 'contract'],
};

/** Where a file sits: its layer and, for a handler, its own folder (handlers/<kind>/<name>). */
export function placeOf(file) {
  const at = file.lastIndexOf(LAMBDAS);
  if (at < 0) return undefined;
  const parts = file.slice(at + LAMBDAS.length).split(path.sep);
  const layer = parts[0];
  if (!(layer in LAYERS) || parts.length < 2) return { layer: undefined, root: file.slice(0, at) };
  const unit = layer === 'handlers' ? parts.slice(0, 3).join('/') : layer;
  return { layer, unit, root: file.slice(0, at) };
}

/** Why `from` may not import `to`, or undefined when it may. Both absolute paths. */
export function violation(from, to) {
  const source = placeOf(from);
  if (!source) return undefined;
  const target = placeOf(to);
  if (!target) {
    const outside = path.relative(source.root, to).split(path.sep)[0];
    return ['local', 'bin', 'lib', 'test', 'bench'].includes(outside)
      ? `lambdas/ must not import ${outside}/: the Lambdas run without it`
      : undefined;
  }
  if (!source.layer) return undefined;
  if (!target.layer)
    return `lambdas/${source.layer} may not import a loose file of lambdas/: put it in a layer`;
  if (source.layer === target.layer) {
    if (source.layer === 'handlers' && source.unit !== target.unit)
      return `${source.unit} may not import another handler (${target.unit}): move what they share to services, messages or domain`;
    return undefined;
  }
  if (LAYERS[source.layer].includes(target.layer)) return undefined;
  return `lambdas/${source.layer} may not import lambdas/${target.layer} (allowed: ${
    LAYERS[source.layer].join(', ') || 'nothing but itself'
  })`;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces the layers of lambdas/ (docs/architecture.md)' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const problem = violation(file, path.resolve(path.dirname(file), spec));
      if (problem) context.report({ node, message: problem });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { layers: rule } };
