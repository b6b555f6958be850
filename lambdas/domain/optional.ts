/**
 * `{ [key]: value }` when the value is there, `{}` when it is undefined: spread into an object literal, it
 * leaves an optional property out instead of setting it to undefined (the compiler holds optional
 * properties to that, exactOptionalPropertyTypes). `null` is a value and is kept.
 */
export function ifDefined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  if (value !== undefined) out[key] = value;
  return out;
}
