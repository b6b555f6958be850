/** A handler's result as Lambda hands it on: JSON only (undefined becomes null), no shared references. */
export const asJson = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
