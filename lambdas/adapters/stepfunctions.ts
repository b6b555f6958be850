import { SFNClient } from '@aws-sdk/client-sfn';

/** Module-scope client (see dynamodb.ts); AWS_ENDPOINT_URL_SFN points it at the local Step Functions API. */
export const sfn = new SFNClient({});
