// A scan with many tokens due at once: decisions are committed a hundred at a time, one token's failure is rolled
// back alone, and everything queued goes out in the same pass. Real SQLite file and a real SMTP server.
import { scan } from '../../src/engine/scan';
import { silentLogger } from '../../src/log';
import { createEmailChannel } from '../../src/notify/email-channel';
import { tokenInput, useEngineHarness } from '../support/engine';

const DUE = 250;

describe('a scan with hundreds of tokens due', () => {
  const h = useEngineHarness({
    channels: ({ smtp }) => new Map([['email', createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: true, logger: silentLogger })]]),
    // One message per token, so that every reminder is its own email (digests are tested in digests.test.ts).
    engine: { mailTo: ['ops@example.test'], start: '2027-01-01T09:00', digestMin: 0 },
  });
  beforeEach(() => {
    h.engine.tokens.addMany(
      Array.from({ length: DUE }, (_, i) => tokenInput(`Token ${String(i).padStart(3, '0')}`, `2027-01-${String(2 + (i % 25)).padStart(2, '0')}T10:00`)),
      h.engine.clock.now(),
    );
  });

  it('queues and delivers every due reminder in one scan, across several record batches and outbox batches', async () => {
    const report = await scan(h.engine.deps);
    expect(report.planned).toHaveLength(DUE);
    expect(report.delivery).toEqual({ sent: DUE, retrying: 0, failed: 0 });
    expect(h.smtp.messages).toHaveLength(DUE);
    expect(new Set(h.smtp.messages.map((m) => m.subject)).size).toBe(DUE);
    expect((await scan(h.engine.deps)).planned).toHaveLength(0);
    expect(h.smtp.messages).toHaveLength(DUE);
  });

  it('rolls back only the token whose record failed, records the rest of its batch, and decides it at the next scan', async () => {
    // A real SQLite trigger refuses the decision of one token in the middle of the first batch.
    h.engine.db.exec(`
      CREATE TRIGGER refuse_one BEFORE INSERT ON reminder_decisions
      WHEN NEW.token_id = (SELECT id FROM tokens WHERE name = 'Token 050')
      BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;`);
    const report = await scan(h.engine.deps);
    expect(report.planned).toHaveLength(DUE - 1);
    expect(report.planned.map((p) => p.token)).not.toContain('Token 050');
    expect(h.engine.logger.lines.filter((l) => l.event === 'scan.token_failed').map((l) => l.fields['token'])).toEqual(['Token 050']);
    expect(h.engine.outbox.history(undefined, 1000).filter((e) => e.tokenName === 'Token 050')).toHaveLength(0);

    h.engine.db.exec('DROP TRIGGER refuse_one');
    const next = await scan(h.engine.deps);
    expect(next.planned.map((p) => p.token)).toEqual(['Token 050']);
    expect(h.smtp.messages).toHaveLength(DUE);
  });
});
