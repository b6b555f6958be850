/**
 * The Slack Web API's error code (`not_in_channel`, `name_taken`, …) of a failed call, as @slack/web-api
 * throws it (a platform error carries the response as `data`); undefined for any other failure.
 */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
