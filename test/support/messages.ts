// Hand-built rendered reminders for channel tests (independent of the real reminder content).
import type { RenderedReminder } from '../../src/domain/reminder';

export function sampleRendered(overrides: Partial<RenderedReminder> = {}): RenderedReminder {
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
