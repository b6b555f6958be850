import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

// A CommonJS module with an ES default export: under Node's ESM interop the function sits on `.default`.
type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
const sesServer: StartSes =
  (sesModule as unknown as { default?: StartSes }).default ?? (sesModule as unknown as StartSes);

/** aws-ses-v2-local: accepts SES SendEmail; `GET /` shows the mail, `GET /store` lists it as JSON. */
export async function startSes(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await sesServer({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export async function sentEmails(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  const body = (await response.json()) as { emails: StoredEmail[] };
  return body.emails;
}
