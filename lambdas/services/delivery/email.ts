import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from '../../adapters/email-client.ts';
import { optionalEnv, requireEnv } from '../../adapters/env.ts';

export interface EmailMessage {
  to: string;
  /** The display name on From: the person sending ("Ada Okafor (Example Analytics)") or the company. */
  fromName: string;
  /** Replies go to a person, never to a no-reply address. */
  replyTo: string;
  subject: string;
  text: string;
  html?: string;
  /** SES message tags (event publishing through the configuration set can group by them). */
  tags: Record<string, string>;
}

/**
 * One message per recipient (per-person logging wants it, and SES v1 locally records only the first To).
 * From is the company's verified sending address under the sender's name.
 */
export async function sendEmail(message: EmailMessage): Promise<string> {
  const fromAddress = requireEnv('SES_FROM_ADDRESS');
  const configurationSet = optionalEnv('SES_CONFIGURATION_SET');
  const out = await ses.send(
    new SendEmailCommand({
      Source: `"${message.fromName.replace(/["\\\r\n]/g, '')}" <${fromAddress}>`,
      ReplyToAddresses: [message.replyTo],
      Destination: { ToAddresses: [message.to] },
      Message: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.text, Charset: 'UTF-8' },
          ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      Tags: Object.entries(message.tags).map(([Name, value]) => ({ Name, Value: tagValue(value) })),
    }),
  );
  if (!out.MessageId) throw new Error('SES accepted the email but returned no message id');
  return out.MessageId;
}

/** SES tag values allow only ASCII letters, digits, _ and -. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}
