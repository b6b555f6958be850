/**
 * Placeholders left in a human edit: the handbook's bracketed ones ("[Your Name]", "[feature]") and this
 * product's braces ("{feature}"). A message containing any is never sent.
 */
const HANDBOOK =
  /\[(?:your name|name\/team|name|team|feature|component|symptom|impact|summary|start[–-]end|brief effect|area|service\/region|system|time window|time)\]|\\\[(?:area)\\\]/giu;
const BRACES = /\{[A-Za-z][A-Za-z.]*\}/gu;

export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(HANDBOOK), ...text.matchAll(BRACES)].map((m) => m[0]);
}
