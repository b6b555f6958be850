import { parkWaitToken } from '../../../adapters/incidents.ts';
import { deliverPending, requeueUnread } from '../../../adapters/incident-events.ts';
import { logContext } from '../../../adapters/logger.ts';
import type { ParkInput } from '../../../contract/payloads.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * Parks the wait's task token on the incident so front doors can wake the execution, then hands over any
 * event that arrived while nothing was parked. Returns before the wait ends; the token completes it.
 */
export const handler = lambdaHandler(
  async (input: ParkInput): Promise<{ parked: true; handedOver: boolean }> => {
    logContext({ incidentId: input.incidentId });
    await parkWaitToken(input.incidentId, input.taskToken);
    await requeueUnread(input.incidentId, input.taskToken);
    const outcome = await deliverPending(input.incidentId);
    return { parked: true, handedOver: outcome === 'delivered' };
  },
);
