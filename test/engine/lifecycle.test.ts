// A token's life through the real engine: SQLite file, outbox, and email through a real SMTP server, with the clock
// moved by hand one day at a time. Asserts what arrives, and when.
import { DateTime } from 'luxon';
import { scan } from '../../src/engine/scan';
import { expiryFromDownload } from '../../src/domain/dates';
import { silentLogger } from '../../src/log';
import { createEmailChannel } from '../../src/notify/email-channel';
import { tokenInput, useEngineHarness } from '../support/engine';

interface Arrival {
  readonly day: string;
  readonly subject: string;
}

describe('a token through its life', () => {
  const h = useEngineHarness({
    channels: ({ smtp }) => new Map([['email', createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch <tokenwatch@example.test>', pool: false, logger: silentLogger })]]),
  });

  /** Scans once a day at `time` from `from` to `to` (inclusive, local dates in `zone`); returns what arrived each day. */
  async function everyDay(from: string, to: string, options: { zone?: string; time?: string; onDay?: (day: string) => void } = {}): Promise<Arrival[]> {
    const zone = options.zone ?? 'Europe/Paris';
    const arrivals: Arrival[] = [];
    for (let day = DateTime.fromISO(from, { zone }); day <= DateTime.fromISO(to, { zone }); day = day.plus({ days: 1 })) {
      const date = day.toISODate() ?? '';
      options.onDay?.(date);
      h.engine.clock.set(DateTime.fromISO(`${date}T${options.time ?? '09:00'}`, { zone }));
      const before = h.smtp.messages.length;
      await scan(h.engine.deps);
      for (const message of h.smtp.messages.slice(before)) arrivals.push({ day: date, subject: message.subject });
    }
    return arrivals;
  }

  it('sends 60, 30, 7, expired and weekly repeats, then after renewal a confirmation and a new cycle, each once', async () => {
    h.open({ mailTo: ['ops@example.test'] });
    h.engine.tokens.add(
      tokenInput('Acme Main', '2027-06-15T10:00', { appleId: 'vpp@acme.test', orgGroup: 'Global / Acme' }),
      h.engine.clock.now(),
    );
    const arrivals = await everyDay('2027-03-01', '2028-07-10', {
      onDay: (day) => {
        if (day === '2027-06-25') h.engine.tokens.renew('Acme Main', { expiresAt: DateTime.fromISO('2028-06-25T10:00', { zone: 'Europe/Paris' }) }, h.engine.clock.now());
        // A restart in the middle of the year: a new connection on the same file forgets nothing.
        if (day === '2027-05-01') {
          h.engine.close();
          h.open({ mailTo: ['ops@example.test'] });
        }
      },
    });
    expect(arrivals).toEqual([
      { day: '2027-04-16', subject: '[tokenwatch] VPP token "Acme Main" expires in 60 days (2027-06-15)' },
      { day: '2027-05-16', subject: '[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-06-15)' },
      { day: '2027-06-08', subject: '[tokenwatch] VPP token "Acme Main" expires in 7 days (2027-06-15)' },
      { day: '2027-06-16', subject: '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2027-06-15' },
      { day: '2027-06-23', subject: '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2027-06-15' },
      { day: '2027-06-25', subject: '[tokenwatch] Renewed: VPP token "Acme Main", next expiry 2028-06-25' },
      { day: '2028-04-26', subject: '[tokenwatch] VPP token "Acme Main" expires in 60 days (2028-06-25)' },
      { day: '2028-05-26', subject: '[tokenwatch] VPP token "Acme Main" expires in 30 days (2028-06-25)' },
      { day: '2028-06-18', subject: '[tokenwatch] VPP token "Acme Main" expires in 7 days (2028-06-25)' },
      { day: '2028-06-26', subject: '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2028-06-25' },
      { day: '2028-07-03', subject: '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2028-06-25' },
      { day: '2028-07-10', subject: '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2028-06-25' },
    ]);
    const first = h.smtp.messages[0];
    expect(first?.envelopeTo).toEqual(['ops@example.test']);
    expect(first?.text).toContain('"vpp@acme.test"');
    expect(first?.text).toContain('Global / Acme');
  });

  it('never sends twice for a second scan the same day or a scan after a restart', async () => {
    h.open();
    h.engine.tokens.add(tokenInput('Twice', '2027-02-01T10:00'), h.engine.clock.now());
    h.engine.clock.set('2027-01-25T09:00');
    await scan(h.engine.deps);
    await scan(h.engine.deps);
    h.engine.close();
    h.open();
    h.engine.clock.set('2027-01-25T18:00');
    await scan(h.engine.deps);
    expect(h.smtp.messages.map((m) => m.subject)).toEqual(['[tokenwatch] VPP token "Twice" expires in 7 days (2027-02-01)']);
  });

  it('counts days in the configured zone, across the US spring DST change', async () => {
    h.open({ zone: 'America/New_York', start: '2027-03-01T09:00' });
    h.engine.tokens.add(tokenInput('NYC', '2027-03-20T09:00', {}, 'America/New_York'), h.engine.clock.now());
    // 23:30 on 13 March in New York is already 14 March in UTC: the 7-day reminder is due on the 13th, local time.
    const arrivals = await everyDay('2027-03-12', '2027-03-22', { zone: 'America/New_York', time: '23:30' });
    expect(arrivals).toEqual([
      { day: '2027-03-12', subject: '[tokenwatch] VPP token "NYC" expires in 8 days (2027-03-20)' },
      { day: '2027-03-13', subject: '[tokenwatch] VPP token "NYC" expires in 7 days (2027-03-20)' },
      { day: '2027-03-20', subject: '[tokenwatch] EXPIRED: VPP token "NYC" expired on 2027-03-20' },
    ]);
  });

  it('counts days across the European autumn DST change', async () => {
    h.open({ start: '2027-09-01T09:00' });
    h.engine.tokens.add(tokenInput('Autumn', '2027-11-05T00:00'), h.engine.clock.now());
    const arrivals = await everyDay('2027-09-01', '2027-11-06');
    expect(arrivals.map((a) => a.day)).toEqual(['2027-09-06', '2027-10-06', '2027-10-29', '2027-11-05']);
  });

  it('handles a token expiring on 29 February and one downloaded that day', async () => {
    h.open({ start: '2027-12-01T09:00' });
    h.engine.tokens.add(tokenInput('Leap', '2028-02-29T12:00'), h.engine.clock.now());
    const downloaded = DateTime.fromISO('2028-02-29T12:00', { zone: 'Europe/Paris' });
    h.engine.tokens.add({ ...tokenInput('From leap', '2029-01-01'), expiresAt: expiryFromDownload(downloaded, 'Europe/Paris') }, h.engine.clock.now());
    const arrivals = await everyDay('2027-12-01', '2029-03-01');
    // Expired at noon on 29 February: the alert goes out the next morning, then weekly at or after noon + 7 days.
    const leap = arrivals.filter((a) => a.subject.includes('"Leap"')).map((a) => a.day);
    expect(leap.slice(0, 6)).toEqual(['2027-12-31', '2028-01-30', '2028-02-22', '2028-03-01', '2028-03-08', '2028-03-15']);
    expect(arrivals.filter((a) => a.subject.includes('"From leap"')).map((a) => a.subject)).toEqual([
      '[tokenwatch] VPP token "From leap" expires in 60 days (2029-02-28)',
      '[tokenwatch] VPP token "From leap" expires in 30 days (2029-02-28)',
      '[tokenwatch] VPP token "From leap" expires in 7 days (2029-02-28)',
      '[tokenwatch] EXPIRED: VPP token "From leap" expired on 2029-02-28',
    ]);
  });

  it('catches up with only the most urgent reminder when several are due at once', async () => {
    h.open();
    h.engine.tokens.add(tokenInput('Late', '2027-01-21T10:00'), h.engine.clock.now());
    const arrivals = await everyDay('2027-01-01', '2027-01-21');
    expect(arrivals).toEqual([
      { day: '2027-01-01', subject: '[tokenwatch] VPP token "Late" expires in 20 days (2027-01-21)' },
      { day: '2027-01-14', subject: '[tokenwatch] VPP token "Late" expires in 7 days (2027-01-21)' },
    ]);
    expect([...h.engine.outbox.decidedAlerts(1, h.engine.tokens.getByName('Late').expiresAt)].sort()).toEqual(['t30', 't60', 't7']);
  });

  it('sends nothing for a muted token, and the most urgent due reminder once the mute ends', async () => {
    h.open();
    h.engine.tokens.add(tokenInput('Quiet', '2027-03-15T10:00'), h.engine.clock.now());
    h.engine.tokens.mute('Quiet', DateTime.fromISO('2027-03-01T00:00', { zone: 'Europe/Paris' }), h.engine.clock.now());
    const arrivals = await everyDay('2027-01-01', '2027-03-10');
    expect(arrivals).toEqual([{ day: '2027-03-01', subject: '[tokenwatch] VPP token "Quiet" expires in 14 days (2027-03-15)' }, { day: '2027-03-08', subject: '[tokenwatch] VPP token "Quiet" expires in 7 days (2027-03-15)' }]);
  });

  it('uses a token\'s own thresholds over the defaults', async () => {
    h.open();
    h.engine.tokens.add(tokenInput('Custom', '2027-05-01T10:00', { thresholds: [90, 14] }), h.engine.clock.now());
    const arrivals = await everyDay('2027-01-01', '2027-04-30');
    expect(arrivals.map((a) => a.day)).toEqual(['2027-01-31', '2027-04-17']);
  });
});
