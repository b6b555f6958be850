import type { ESLint } from 'eslint';

/** Each layer of lambdas/ and the layers it may import (besides itself). */
export declare const LAYERS: Readonly<Record<string, readonly string[]>>;
/** Why `from` may not import `to` (absolute paths), or undefined when it may. */
export declare function violation(from: string, to: string): string | undefined;
declare const plugin: ESLint.Plugin;
export default plugin;
