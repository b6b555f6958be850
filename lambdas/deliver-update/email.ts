import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { Person } from '../core/roster.ts';
import { ses } from '../adapters/email-client.ts';
import { optionalEnv, requireEnv } from '../adapters/env.ts';
import type { AccountDraft } from '../adapters/rounds.ts';

/**
 * One message per recipient (per-person logging wants it, and SES v1 locally records only the first To).
 * From is the company's sending address with the person's name; replies go to the person.
 */
export async function sendEmail(input: {
  to: string;
  sender: Person;
  company: string;
  draft: AccountDraft['email'];
  tags: { incidentId: string; accountId: string };
}): Promise<string> {
  const fromAddress = requireEnv('SES_FROM_ADDRESS');
  const configurationSet = optionalEnv('SES_CONFIGURATION_SET');
  const out = await ses.send(
    new SendEmailCommand({
      Source: `"${input.sender.name.replace(/"/g, '')} (${input.company.replace(/"/g, '')})" <${fromAddress}>`,
      ReplyToAddresses: [input.sender.email],
      Destination: { ToAddresses: [input.to] },
      Message: {
        Subject: { Data: input.draft.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: input.draft.text, Charset: 'UTF-8' },
          ...(input.draft.html ? { Html: { Data: input.draft.html, Charset: 'UTF-8' } } : {}),
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      Tags: [
        { Name: 'incident', Value: tagValue(input.tags.incidentId) },
        { Name: 'account', Value: tagValue(input.tags.accountId) },
      ],
    }),
  );
  if (!out.MessageId) throw new Error('SES accepted the email but returned no message id');
  return out.MessageId;
}

/** SES tag values allow only ASCII letters, digits, _ - . @ */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);
}
