/**
 * A Web API failure: answered as HTTP 200 `{ ok: false, error }`, as Slack does. Block Kit problems also
 * carry one line per problem, "… [json-pointer:/…]", which Slack answers as `errors` and, each prefixed
 * "[ERROR] ", as `response_metadata.messages`.
 */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length > 0 ? `${error}: ${problems.join('; ')}` : error);
    this.name = 'SlackApiError';
  }

  /** The fields of Slack's answer besides `ok: false` and `error`. */
  details(): Record<string, unknown> {
    if (this.problems.length === 0) return {};
    return {
      errors: [...this.problems],
      response_metadata: { messages: this.problems.map((line) => `[ERROR] ${line}`) },
    };
  }
}
