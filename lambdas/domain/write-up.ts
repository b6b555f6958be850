/**
 * The write-up link, when engineering publishes it as a PagerDuty status update after the incident
 * is resolved ("Postmortem: https://…"). A link only counts when the note or the link itself says it is
 * the write-up, so a dashboard link posted after resolution is not sent to every customer.
 */
const LINK = /https:\/\/[^\s<>"')\]]+/g;
const WORDS = /post[- ]?mortem|write[- ]?up|incident[- ]review|retrospective|\brca\b|root[- ]cause analysis/i;

export function writeUpLink(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const links = [...text.matchAll(LINK)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
  if (links.length === 0) return undefined;
  if (WORDS.test(text.replace(LINK, ' '))) return links[0];
  return links.find((link) => WORDS.test(link));
}
