/**
 * The incident execution's lifetime: statemachines/incident.asl.json's TimeoutSeconds (a test keeps the
 * two equal). Anything the workflow must still do later than this after it starts would die with it.
 */
export const INCIDENT_EXECUTION_SECONDS = 1_209_600;
