import { SESClient } from '@aws-sdk/client-ses';

/** Module-scope client (see dynamodb.ts); AWS_ENDPOINT_URL_SES points it at aws-ses-v2-local. */
export const ses = new SESClient({});
