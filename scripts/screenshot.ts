// `npm run screenshot`: seeds a demo registry in a temporary folder, serves the status page from it and saves
// docs/status-page.png with headless Chromium. The demo's clock is fixed, so the picture only changes with the page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { fixedClock } from '../src/clock';
import type { DaemonStatus } from '../src/daemon/daemon';
import { parseAlertKey } from '../src/domain/alert';
import { daysLeft } from '../src/domain/dates';
import type { Reminder } from '../src/domain/reminder';
import { NO_OWN_CHOICES, type Token, type TokenInput } from '../src/domain/token';
import { startStatusServer } from '../src/http/server';
import { silentLogger } from '../src/log';
import { openDatabase } from '../src/store/database';
import { Outbox } from '../src/store/outbox';
import { RegistryStats } from '../src/store/registry-stats';
import { TokenRepository } from '../src/store/token-repository';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './chromium';

const ZONE = 'Europe/Paris';
const OUTPUT = path.resolve(__dirname, '../../docs/status-page.png');
const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: ZONE }).toUTC();
const NOW = at('2027-01-10T10:00');

function token(name: string, expires: string, fields: Partial<TokenInput> = {}): TokenInput {
  return {
    name,
    kind: 'vpp',
    orgName: name,
    expiresAt: at(expires),
    downloadedAt: at(expires).minus({ months: 12 }),
    appleId: null,
    ...NO_OWN_CHOICES,
    fingerprint: null,
    mdm: 'workspace-one',
    topic: null,
    ...fields,
  };
}

/** The facts a scan stores for a reminder of `t` (the page reads only the subject and the outcome). */
const factsOf = (t: Token, time: DateTime): Reminder => ({
  kind: 'threshold',
  threshold: null,
  token: { name: t.name, kind: t.kind, orgName: t.orgName, expiresAt: t.expiresAt, appleId: t.appleId, orgGroup: t.orgGroup },
  daysLeft: daysLeft(t.expiresAt, time, ZONE),
  zone: ZONE,
});

/** Records a reminder as `tokenwatch scan` would have at `when`, sent by email and Slack (or failed on Slack). */
function sent(outbox: Outbox, tokens: TokenRepository, name: string, alert: string, when: string, slackError?: string): void {
  const t = tokens.getByName(name);
  const time = at(when);
  const parsed = parseAlertKey(alert);
  if (parsed === null) throw new Error(`${alert} is not an alert key`);
  outbox.record(
    {
      token: t,
      queue: [
        {
          alert: parsed,
          reminder: factsOf(t, time),
          subject: `${name} ${alert}`,
          routes: [
            { channel: 'email', recipient: 'mdm-admins@acme.example' },
            { channel: 'slack', recipient: '#mdm-alerts' },
          ],
          notBefore: time,
        },
      ],
      skip: [],
      settlesRenewal: false,
      afterPreview: [],
    },
    time,
  );
  for (const entry of outbox.due(time)) {
    if (entry.channel === 'slack' && slackError !== undefined) outbox.markFailed(entry.id, slackError, null);
    else outbox.markSent(entry.id, time.plus({ seconds: 2 }));
  }
}

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.error(`screenshot: ${CHROMIUM_PATH} is missing (expected Debian's chromium: apt-get install chromium)`);
    process.exitCode = 1;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-screenshot-'));
  const db = openDatabase(path.join(dir, 'demo.db'));
  try {
    const tokens = new TokenRepository(db);
    const outbox = new Outbox(db);
    tokens.addMany(
      [
        token('Acme Schools – District 4', '2027-01-06T11:30'),
        token('Acme Retail EU', '2027-01-15T09:45'),
        token('Acme Retail US', '2027-02-03T17:10'),
        token('Acme Headquarters', '2027-03-01T08:20'),
        token('Acme Kiosks', '2027-05-20T14:00'),
        token('Acme Field Service', '2027-09-14T10:00'),
        token('Acme Labs', '2027-11-30T16:00'),
      ],
      at('2026-11-01T09:00'),
    );
    tokens.mute('Acme Labs', at('2027-02-01T00:00'), at('2026-12-01T09:00'));
    sent(outbox, tokens, 'Acme Schools – District 4', 't60', '2026-11-07T09:00');
    sent(outbox, tokens, 'Acme Retail EU', 't60', '2026-11-16T09:00');
    sent(outbox, tokens, 'Acme Retail US', 't60', '2026-12-05T09:00');
    sent(outbox, tokens, 'Acme Schools – District 4', 't30', '2026-12-07T09:00');
    sent(outbox, tokens, 'Acme Retail EU', 't30', '2026-12-16T09:00');
    sent(outbox, tokens, 'Acme Schools – District 4', 't7', '2026-12-30T09:00');
    sent(outbox, tokens, 'Acme Headquarters', 't60', '2026-12-31T09:00');
    sent(outbox, tokens, 'Acme Retail US', 't30', '2027-01-04T09:00');
    sent(outbox, tokens, 'Acme Schools – District 4', 'expired', '2027-01-07T09:00', 'channel_not_found: invite the bot to #mdm-alerts, then run tokenwatch retry');
    sent(outbox, tokens, 'Acme Retail EU', 't7', '2027-01-08T09:00');

    const status: DaemonStatus = {
      holder: 'tokenwatch-1:4242:demo',
      isLeaseHeld: true,
      databaseProblem: null,
      leaseHolder: 'tokenwatch-1:4242:demo',
      leaseAcquiredAt: at('2027-01-02T08:00'),
      isScanning: false,
      lastScanStartedAt: at('2027-01-10T09:00'),
      lastScan: {
        startedAt: at('2027-01-10T09:00'),
        finishedAt: at('2027-01-10T09:00:01'),
        durationSeconds: 0.42,
        isOk: true,
        error: null,
        queued: 0,
        sent: 0,
        retrying: 0,
        failed: 0,
      },
      lastSuccessAt: at('2027-01-10T09:00'),
      scanCounts: { ok: 9, failed: 0 },
      nextScanAt: at('2027-01-11T09:00'),
    };
    const stats = new RegistryStats(db);
    const server = await startStatusServer(
      { host: '127.0.0.1', port: 0 },
      {
        clock: fixedClock(NOW),
        policy: { zone: ZONE, thresholds: [60, 30, 7], expiredRepeatDays: 7 },
        stats: () => stats,
        daemonStatus: () => status,
        logger: silentLogger,
      },
    );
    const browser = await launchChromium({ javaScriptEnabled: false, width: 1320, height: 720 });
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
      await page.screenshot({ path: OUTPUT, fullPage: true });
      console.log(`screenshot: wrote ${path.relative(process.cwd(), OUTPUT)}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
