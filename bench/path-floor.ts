import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { WebClient } from '@slack/web-api';
import type { StoredMessage } from '../local/slack/types.ts';
import { LOCAL_DEFAULTS } from '../local/options.ts';
import type { BenchRow } from './table.ts';
import { PATH_BUDGET, type WebhookPath } from './webhook-path.ts';
import { median } from './median.ts';

export type Ask = Pick<StoredMessage, 'channel' | 'text' | 'blocks'>;

/** The DMs to replay, copied as they are now: a press edits a stored message in place. */
export const asksNow = (messages: readonly StoredMessage[]): Ask[] =>
  messages.map((m) =>
    structuredClone({
      channel: m.channel,
      ...(m.text === undefined ? {} : { text: m.text }),
      ...(m.blocks ? { blocks: m.blocks } : {}),
    }),
  );

/** The floor in seconds, and the repetitions it is the median of (fastest first). */
export interface Floor {
  seconds: number;
  runs: number[];
}

/**
 * The webhook → every owner's DM wall time ÷ its floor, as the workflow and growth rows print it. The note
 * gives both times and the spread of the floor's repetitions.
 */
export const wallRatioRow = (name: string, seconds: number, floor: Floor): BenchRow => ({
  name,
  value: seconds / floor.seconds,
  unit: '×',
  budget: PATH_BUDGET.wallRatio,
  digits: 1,
  note:
    `${seconds.toFixed(2)} s; floor ${floor.seconds.toFixed(2)} s, median of ${floor.runs.length} ` +
    `(${floor.runs[0]?.toFixed(2)}–${floor.runs.at(-1)?.toFixed(2)} s): the path's round trips made ` +
    'straight to the stand-ins, then every DM at once',
});

/** Warm repetitions the floor is the median of; one more runs first, unmeasured, to open the sockets. */
export const FLOOR_REPETITIONS = 7;

/**
 * The floor of the webhook → every owner's DM wall time: the path's own I/O, made straight against the
 * same stand-ins with bare clients, and nothing of ours (no handler, no Step Functions engine, no Lambda
 * runtime). What no implementation of this path can beat on this machine, measured in the same run:
 *
 * 1. every round trip the critical path made before the asking step, one after another: its DynamoDB round
 *    trips (as GetItems of the incident, the cheapest there is), its Step Functions API calls (as
 *    DescribeExecution: a start or a token answer would move the incident) and its Slack calls (posts);
 * 2. then, for every owner's DM at once (a round asks every owner side by side:
 *    statemachines/update-round.asl.json), the asking step's own round trips one after another and the
 *    DM itself, posted again with the same client library (its other Slack calls as more posts).
 *
 * One measurement of this is about a tenth of a second and moves with whatever else the machine does, so
 * the floor is the median of FLOOR_REPETITIONS warm repetitions. The counts are the run's own (`path`):
 * a path that makes more round trips shows in the count rows (bench/workflow.ts); the ratio to this floor
 * shows what the I/O does not explain (CPU in the handlers, waits, the runtime's own work).
 */
export async function pathFloor(
  path: Pick<WebhookPath, 'dynamodb' | 'slack' | 'stepfunctions' | 'asking'>,
  /** The owners' DMs as they were posted (a copy: presses edit them in place). */
  asks: readonly Ask[],
  incidentId: string,
  parentArn: string,
): Promise<Floor> {
  const dynamodb = new DynamoDBClient({});
  const sfn = new SFNClient({});
  const apiUrl = process.env.SLACK_API_URL ?? '';
  const slack = new WebClient(LOCAL_DEFAULTS.slackBotToken, {
    slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    retryConfig: { retries: 0 },
  });
  const getItem = () =>
    dynamodb.send(
      new GetItemCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: { S: `INCIDENT#${incidentId}` }, sk: { S: 'META' } },
        ConsistentRead: true,
      }),
    );
  const describe = () => sfn.send(new DescribeExecutionCommand({ executionArn: parentArn }));
  const post = (m: Ask) =>
    slack.chat.postMessage({
      channel: m.channel,
      text: m.text ?? '',
      ...(m.blocks ? { blocks: m.blocks } : {}),
    });
  const times = (n: number, call: () => Promise<unknown>) =>
    Array.from({ length: Math.max(0, n) }).reduce<Promise<unknown>>((p) => p.then(call), Promise.resolve());
  const once = async () => {
    const started = performance.now();
    await times(path.dynamodb - path.asking.dynamodb, getItem);
    await times(path.stepfunctions - path.asking.stepfunctions, describe);
    const first = asks[0];
    if (first) await times(path.slack - path.asking.slack, () => post(first));
    await Promise.all(
      asks.map(async (m) => {
        await times(path.asking.dynamodb, getItem);
        await times(path.asking.stepfunctions, describe);
        await times(Math.max(1, path.asking.slack), () => post(m));
      }),
    );
    return (performance.now() - started) / 1000;
  };
  try {
    await once();
    const runs: number[] = [];
    for (let i = 0; i < FLOOR_REPETITIONS; i++) runs.push(await once());
    return { seconds: median(runs), runs: runs.sort((a, b) => a - b) };
  } finally {
    dynamodb.destroy();
    sfn.destroy();
  }
}
