// zod/mini, as every schema of the product is.
import * as z from 'zod/mini';
import './zod-locale.ts';

/** A string with something in it: the roster's, the policy's and the front doors' schemas all use it. */
export const nonEmpty = z.string().check(z.minLength(1));
