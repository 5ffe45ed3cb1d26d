// Hand-built messages for channel tests (independent of the real reminder content).
import { renderedMessage, type Message, type RenderedMessage } from '../../src/domain/message/message';

/** Every format of a sample message, as plain values to compare what a channel delivered against. */
export function sampleRendered(overrides: Partial<RenderedMessage> = {}): RenderedMessage {
  const subject = overrides.subject ?? 'VPP token "Lycée Jean Moulin" expires in 30 days';
  return {
    subject,
    text: `${subject}\n\nRenew it in Apple School Manager before 2026-07-16.\n`,
    html: `<p><strong>${subject.replace(/"/g, '&quot;')}</strong></p><p>Renew it in Apple School Manager before 2026-07-16.</p>`,
    slack: {
      text: `${subject}. Renew it in Apple School Manager before 2026-07-16.`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: subject } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Renew it in *Apple School Manager* before 2026-07-16.' } },
      ],
    },
    ...overrides,
  };
}

/** The sample as a message a channel sends. */
export function sampleMessage(overrides: Partial<RenderedMessage> = {}): Message {
  return renderedMessage(sampleRendered(overrides));
}
