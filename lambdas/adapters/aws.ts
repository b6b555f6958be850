import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * SDK clients at module scope, reused across invocations. Endpoints come from the SDK's standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which is all the local runtime changes.
 */
export const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sfn = new SFNClient({});
export const ses = new SESClient({});
