import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Secrets Manager stand-in answering GetSecretValue only (the one call the product makes), over the
 * SDK's JSON protocol, for the AWS path of lambdas/adapters/secrets.ts: point the real client at it with
 * AWS_ENDPOINT_URL_SECRETS_MANAGER. It counts the reads of each secret, which is what a test asks of it.
 * The local runtime itself passes secrets as plain variables and does not start it.
 */
export interface SecretsManagerStandIn {
  url: string;
  /** Sets (or replaces) a secret's SecretString, addressed by the ARN or name the caller will use. */
  put(secretId: string, secretString: string): void;
  /** GetSecretValue calls for the secret so far. */
  reads(secretId: string): number;
  close(): Promise<void>;
}

export async function startSecretsManagerStandIn(): Promise<SecretsManagerStandIn> {
  const secrets = new Map<string, string>();
  const reads = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const target = req.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        answer(400, { __type: 'InvalidRequestException', message: `not served: ${String(target)}` });
        return;
      }
      const { SecretId: id } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        SecretId?: string;
      };
      const value = id === undefined ? undefined : secrets.get(id);
      if (id === undefined || value === undefined) {
        answer(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the secret",
        });
        return;
      }
      reads.set(id, (reads.get(id) ?? 0) + 1);
      answer(200, { ARN: id, Name: id, SecretString: value, VersionId: 'v1', CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put: (id, value) => void secrets.set(id, value),
    reads: (id) => reads.get(id) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
