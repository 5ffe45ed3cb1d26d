// The commands that send or check delivery (scan, history, test-notify, doctor), run through the CLI against a real
// SMTP server and a fake Slack Web API, with the same env variables an administrator sets.
import type { HistoryJsonRow } from '../../src/cli/commands/history';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeSlack, type FakeSlackServer, type SlackCall } from '../support/fake-slack-server';
import { unusedPort } from '../support/ports';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const SLACK_TOKEN = 'xoxb-notify-commands-test';


type Block = { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[] };

function blocksOf(call: SlackCall | undefined): Block[] {
  const blocks = call?.args['blocks'];
  if (!Array.isArray(blocks)) throw new Error('the Slack call has no blocks');
  return blocks as Block[];
}

describe('notify commands through the CLI', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let slack: FakeSlackServer;
  let cli: CliHarness;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    cli = cliHarness(dir, {
      TOKENWATCH_SMTP_URL: smtp.url,
      TOKENWATCH_MAIL_TO: 'ops@example.test,it@example.test',
      TOKENWATCH_MAIL_FROM: 'tokenwatch <tokenwatch@example.test>',
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      TOKENWATCH_SLACK_CHANNEL: '#mdm',
      TOKENWATCH_SLACK_API_URL: slack.apiUrl,
    });
  });
  afterEach(async () => {
    await smtp.close();
    await slack.close();
    removeDir(dir);
  });

  /** A token 30 calendar days before its expiry at the harness's clock (2027-01-01 10:00 Paris). */
  async function addAcme(...extra: string[]): Promise<void> {
    const added = await cli.run(
      'add', '--name', 'Acme Main', '--expires', '2027-01-31', '--apple-id', 'vpp@acme.test', '--org-group', 'Global / Acme / iOS', ...extra,
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
  }

  async function history(...args: string[]): Promise<HistoryJsonRow[]> {
    const result = await cli.run('history', ...args, '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as HistoryJsonRow[];
  }

  function later(minutes: number): void {
    cli.now = cli.now.plus({ minutes });
  }

  describe('scan', () => {
    it('delivers a due reminder by email to the token\'s recipients and by Slack to its channel', async () => {
      await addAcme('--email', 'acme-admins@acme.test', '--slack-channel', '#acme');
      const result = await cli.run('scan');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Queued t30 for "Acme Main"');
      expect(result.stdout).toMatch(/1 queued, 1 skipped, 2 sent, 0 to retry, 0 failed\.$/);

      expect(smtp.messages).toHaveLength(1);
      const [mail] = smtp.messages;
      expect(mail?.subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-31)');
      expect(mail?.envelopeTo).toEqual(['acme-admins@acme.test']);
      expect(mail?.to).toBe('acme-admins@acme.test');
      expect(mail?.envelopeFrom).toBe('tokenwatch@example.test');
      expect(mail?.from).toContain('<tokenwatch@example.test>');
      expect(mail?.raw).toMatch(/Content-Type: multipart\/alternative/i);
      // The text part is wrapped at 72 columns: read it with its continuation lines joined.
      for (const body of [mail?.text ?? '', mail?.html ?? ''].map((part) => part.replace(/\n +/g, ' '))) {
        expect(body).toMatch(/Sign in as (&quot;|")vpp@acme\.test(&quot;|") with a role that may get licenses/);
        expect(body).toMatch(/Organization Group where the token resides: (&quot;|")Global \/ Acme \/ iOS(&quot;|")/);
      }
      expect(mail?.html).toMatch(/^<!DOCTYPE html>/);

      const posts = slack.callsTo('chat.postMessage');
      expect(posts).toHaveLength(1);
      const [post] = posts;
      expect(post?.token).toBe(SLACK_TOKEN);
      expect(post?.args['channel']).toBe('#acme');
      expect(post?.args['text']).toContain('VPP token "Acme Main" expires in 30 days (2027-01-31)');
      const blocks = blocksOf(post);
      expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: expect.stringContaining('Acme Main') } });
      const fields = blocks.find((block) => block.fields !== undefined)?.fields?.map((field) => field.text) ?? [];
      expect(fields).toEqual(expect.arrayContaining(['*Apple account*\nvpp@acme.test', '*Organization Group*\nGlobal / Acme / iOS']));
      const sections = blocks.filter((block) => block.type === 'section' && block.text !== undefined).map((block) => block.text?.text ?? '');
      expect(sections.some((text) => text.startsWith('*1. Download a new content token from Apple*') && text.includes('as "vpp@acme.test"'))).toBe(true);
      expect(sections.some((text) => text.startsWith('*2. Upload the new content token in Workspace ONE UEM*') && text.includes('"Global / Acme / iOS"'))).toBe(true);
    });

    it('sends to the default recipients and channel when the token has none, at the moment given by --at', async () => {
      await cli.run('add', '--name', 'Later', '--expires', '2027-04-15');
      expect((await cli.run('scan')).stdout).toMatch(/0 queued, 0 skipped, 0 sent/);
      const result = await cli.run('scan', '--at', '2027-02-14T09:00');
      expect(result.code).toBe(0);
      expect(smtp.messages.map((m) => m.envelopeTo.join()).sort()).toEqual(['it@example.test', 'ops@example.test']);
      expect(smtp.messages[0]?.subject).toBe('[tokenwatch] VPP token "Later" expires in 60 days (2027-04-15)');
      expect(slack.callsTo('chat.postMessage').map((call) => call.args['channel'])).toEqual(['#mdm']);
    });

    it('exits 1 when an email is deferred, keeps it queued, and the next scan delivers it exactly once', async () => {
      await addAcme('--email', 'acme-admins@acme.test');
      smtp.failNext(1, { code: 421 });
      const first = await cli.run('scan');
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/1 sent, 1 to retry, 0 failed\.$/);
      expect(smtp.messages).toHaveLength(0);
      const [queued] = (await history()).filter((row) => row.channel === 'email');
      expect(queued).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
      expect(queued?.error).toMatch(/421/);

      later(2);
      const second = await cli.run('scan');
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/0 queued, 0 skipped, 1 sent, 0 to retry, 0 failed\.$/);
      later(60 * 24);
      expect((await cli.run('scan')).code).toBe(0);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.stats.attempts).toBe(2);
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect((await history()).map((row) => row.status)).toEqual(['sent', 'sent']);
    });

    it('with --dry-run prints what would go and records nothing; a real scan then sends it', async () => {
      await addAcme();
      const dry = await cli.run('scan', '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('(dry run, nothing recorded)');
      expect(dry.stdout).toMatch(/Acme Main\s+t30\s+-> email:ops@example\.test, email:it@example\.test, slack:#mdm/);
      expect(dry.stdout).toContain('[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-31)');
      expect(smtp.stats.connections).toBe(0);
      expect(slack.calls).toHaveLength(0);
      expect(await history()).toEqual([]);
      expect((await cli.run('history')).stdout).toBe('Nothing sent yet.');

      expect((await cli.run('scan')).code).toBe(0);
      expect(smtp.messages).toHaveLength(2);
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('says which reminders wait for the send window, and queues them without sending', async () => {
      await addAcme();
      cli.env['TOKENWATCH_SEND_WINDOW'] = '08:00-18:00';
      cli.now = DateTime.fromISO('2027-01-01T03:00', { zone: 'Europe/Paris' });
      const dry = await cli.run('scan', '--dry-run');
      expect(dry.stdout).toContain('(waits for the send window: 2027-01-01T08:00:00.000+01:00)');
      const real = await cli.run('scan');
      expect(real.code).toBe(0);
      expect(real.stdout).toMatch(/^Queued t30 for "Acme Main": .* \(waits for the send window: 2027-01-01T08:00:00\.000\+01:00\)$/m);
      expect(real.stdout).toMatch(/: 1 queued, 1 skipped, 0 sent, 0 to retry, 0 failed\.$/m);
      expect(smtp.stats.connections).toBe(0);
      expect((await history()).every((row) => row.status === 'pending' && row.nextAttemptAt === '2027-01-01T08:00:00.000+01:00')).toBe(true);

      cli.now = DateTime.fromISO('2027-01-01T08:00', { zone: 'Europe/Paris' });
      expect((await cli.run('scan')).code).toBe(0);
      expect(smtp.messages).toHaveLength(2);
    });

    it('refuses a bad send window with exit 2 and one line naming the setting', async () => {
      cli.env['TOKENWATCH_SEND_WINDOW'] = '8-18';
      const result = await cli.run('scan');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tokenwatch: TOKENWATCH_SEND_WINDOW: "8-18" is not a time range \(expected HH:MM-HH:MM/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  describe('history', () => {
    it('lists sent deliveries with when and to whom, and a failed one with its error', async () => {
      await addAcme();
      await cli.run('add', '--name', 'Lost', '--expires', '2027-01-05', '--slack-channel', '#gone');
      slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
      const scan = await cli.run('scan');
      expect(scan.code).toBe(1);

      const rows = await history();
      expect(rows).toHaveLength(6);
      expect(rows.map((row) => `${row.token} ${row.channel}:${row.recipient}`).sort()).toEqual([
        'Acme Main email:it@example.test',
        'Acme Main email:ops@example.test',
        'Acme Main slack:#mdm',
        'Lost email:it@example.test',
        'Lost email:ops@example.test',
        'Lost slack:#gone',
      ]);
      const sent = rows.filter((row) => row.status === 'sent');
      expect(sent).toHaveLength(5);
      for (const row of sent) {
        expect(row.sentAt).toBe('2027-01-01T10:00:00.000+01:00');
        expect(row.error).toBeNull();
      }
      const failed = rows.filter((row) => row.status === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ channel: 'slack', sentAt: null, nextAttemptAt: null });
      expect(failed[0]?.error).toContain('channel_not_found');

      const table = await cli.run('history');
      expect(table.code).toBe(0);
      const lines = table.stdout.split('\n');
      expect(lines[0]).toMatch(/^WHEN\s+TOKEN\s+ALERT\s+TO\s+STATUS\s+DIGEST\s+ERROR$/);
      expect(lines).toHaveLength(7);
      expect(table.stdout).toMatch(/2027-01-01 10:00\s+Acme Main\s+t30\s+email:ops@example\.test\s+sent/);
      expect(table.stdout).toMatch(/slack:#\S+\s+failed\s+Slack refused chat\.postMessage to "#\S+": channel_not_found/);
    });

    it('shows one token\'s rows for history NAME', async () => {
      await addAcme();
      await cli.run('add', '--name', 'Other', '--expires', '2027-01-05');
      await cli.run('scan');
      const rows = await history('Acme Main');
      expect(rows).toHaveLength(3);
      expect(rows.every((row) => row.token === 'Acme Main' && row.alert === 't30' && row.status === 'sent')).toBe(true);
      expect(rows.map((row) => row.subject)).toEqual(Array(3).fill('[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-31)'));
      const table = await cli.run('history', 'Other');
      expect(table.stdout).not.toContain('Acme Main');
      expect(table.stdout.split('\n')).toHaveLength(4);
    });

    it('shows the digest each reminder went in', async () => {
      for (const name of ['A', 'B', 'C', 'D']) await cli.run('add', '--name', name, '--expires', '2027-01-20');
      await cli.run('add', '--name', 'Own', '--expires', '2027-01-20', '--email', 'own@example.test');
      expect((await cli.run('scan')).code).toBe(0);
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
        '[tokenwatch] 4 tokens to renew: 4 act now',
        '[tokenwatch] 4 tokens to renew: 4 act now',
        expect.stringContaining('"Own"'),
      ]);
      const rows = await history();
      const digestOf = (channel: string, recipient: string): (number | null)[] =>
        [...new Set(rows.filter((row) => row.channel === channel && row.recipient === recipient).map((row) => row.digest))];
      const [ops] = digestOf('email', 'ops@example.test');
      const [it] = digestOf('email', 'it@example.test');
      const [slackDigest] = digestOf('slack', '#mdm');
      expect(digestOf('email', 'ops@example.test')).toHaveLength(1);
      expect(new Set([ops, it, slackDigest]).size).toBe(3);
      expect([ops, it, slackDigest].every((id) => typeof id === 'number')).toBe(true);
      expect(digestOf('email', 'own@example.test')).toEqual([null]);

      const table = (await cli.run('history', 'A')).stdout;
      expect(table).toMatch(new RegExp(`email:ops@example\\.test\\s+sent\\s+#${String(ops)}\\s*$`, 'm'));
      expect(table).toMatch(new RegExp(`slack:#mdm\\s+sent\\s+#${String(slackDigest)}\\s*$`, 'm'));
    });

    it('refuses an unknown token name with exit 2 and one line', async () => {
      const result = await cli.run('history', 'Nobody');
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: 'tokenwatch: unknown token "Nobody" (expected a name shown by "tokenwatch list")',
      });
    });
  });

  describe('test-notify', () => {
    it('sends a clearly marked test by email and Slack and prints one ok line per channel', async () => {
      const result = await cli.run('test-notify');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.split('\n')).toEqual(['email ops@example.test: ok', 'email it@example.test: ok', 'slack #mdm: ok']);

      expect(smtp.messages.map((m) => m.envelopeTo.join())).toEqual(['ops@example.test', 'it@example.test']);
      for (const mail of smtp.messages) {
        expect(mail.subject).toMatch(/^\[tokenwatch\] TEST \(no action needed\): /);
        expect(mail.text).toMatch(/^This is a test from tokenwatch test-notify; no token needs action\./);
        expect(mail.html).toContain('This is a test from tokenwatch test-notify');
      }
      const [post] = slack.callsTo('chat.postMessage');
      expect(post?.args['channel']).toBe('#mdm');
      expect(String(post?.args['text'])).toMatch(/^This is a test from tokenwatch test-notify/);
      expect(blocksOf(post)[0]?.text?.text).toMatch(/^Test: /);
      // A test is not a reminder: nothing is recorded.
      expect(await history()).toEqual([]);
    });

    it('sends to --email and --slack-channel instead of the defaults', async () => {
      const result = await cli.run('test-notify', '--email', 'x@y.test', '--slack-channel', '#other');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')).toEqual(['email x@y.test: ok', 'slack #other: ok']);
      expect(smtp.messages.map((m) => m.envelopeTo.join())).toEqual(['x@y.test']);
      expect(slack.callsTo('chat.postMessage').map((call) => call.args['channel'])).toEqual(['#other']);
    });

    it('prints a failed line and exits 1 when Slack refuses the token, while the email still goes out', async () => {
      cli.env['SLACK_BOT_TOKEN'] = 'xoxb-revoked';
      const result = await cli.run('test-notify', '--email', 'x@y.test');
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toEqual(['email x@y.test: ok', 'slack #mdm: failed: Slack refused chat.postMessage to "#mdm": invalid_auth']);
      expect(result.stdout).not.toContain('xoxb-revoked');
      expect(smtp.messages).toHaveLength(1);
    });
  });

  describe('doctor', () => {
    it('reports config, database, SMTP, Slack (naming the workspace and bot user), the sender and the outbox ok and exits 0 when all is healthy', async () => {
      await addAcme();
      cli.env['TOKENWATCH_MAIL_FROM'] = 'tokenwatch <mdm-alerts@acme.com>';
      const result = await cli.run('doctor');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^config\s+ok\s+zone Europe\/Paris, schedule "0 9 \* \* \*", thresholds 60,30,7$/);
      expect(lines).toContain('secrets   SMTP URL set, Slack token set');
      expect(lines).toContain('sending   digest above 3 per recipient, any time, HTTP on 127.0.0.1:9412');
      expect(result.stdout).toMatch(/^database\s+ok\s+.*tokenwatch\.db \(1 tokens\)$/m);
      expect(result.stdout).toMatch(/^smtp\s+ok\s+server smtp:\/\/127\.0\.0\.1:\d+$/m);
      expect(result.stdout).toMatch(/^slack\s+ok\s+workspace "Example" \(https:\/\/example\.slack\.com\/\), bot user @tokenwatch \(U0001\)$/m);
      expect(result.stdout).toMatch(/^sender\s+ok\s+tokenwatch <mdm-alerts@acme\.com>$/m);
      expect(result.stdout).toMatch(/^outbox\s+ok\s+0 pending$/m);
      expect(result.stdout).not.toContain(SLACK_TOKEN);
      expect(slack.callsTo('auth.test')).toHaveLength(1);
      expect(smtp.messages).toHaveLength(0);
    });

    it('names the Teams webhooks it checked when Teams is configured, never their URLs', async () => {
      const secretUrl = 'https://example.webhook.office.com/workflows/abc?sig=TEAMS-SECRET-SIG';
      cli.env['TOKENWATCH_TEAMS_WEBHOOKS'] = `mdm=${secretUrl},ops=${secretUrl}2`;
      const result = await cli.run('doctor');
      expect(result.stdout).toMatch(/^teams\s+ok\s+webhooks mdm, ops \(URLs checked, not posted to\)$/m);
      expect(result.stdout).not.toContain('TEAMS-SECRET-SIG');
    });

    it('warns, without failing, when the sender looks undeliverable, and defaults it to this host\'s name', async () => {
      for (const [from, problem] of [
        ['tokenwatch <tokenwatch@localhost>', 'its domain localhost exists only on a local network'],
        ['tokenwatch@mdm-01', 'its domain mdm-01 is a bare host name, not a mail domain'],
        ['alerts@192.0.2.10', 'its domain 192.0.2.10 is an IP address'],
      ] as const) {
        cli.env['TOKENWATCH_MAIL_FROM'] = from;
        const result = await cli.run('doctor');
        expect(result.code).toBe(0);
        expect(result.stdout.split('\n')).toContain(
          `sender    warning  ${from}: ${problem}; many mail relays refuse such a sender (set TOKENWATCH_MAIL_FROM to an address of your mail domain)`,
        );
      }
      delete cli.env['TOKENWATCH_MAIL_FROM'];
      const byDefault = await cli.run('doctor');
      expect(byDefault.stdout).toMatch(new RegExp(`^sender\\s+\\S+\\s+tokenwatch <tokenwatch@${os.hostname().toLowerCase().replace(/[.]/g, '\\.')}>`, 'm'));
    });

    it('shows the send window, what bypasses it and a disabled HTTP server on its sending line', async () => {
      Object.assign(cli.env, { TOKENWATCH_SEND_WINDOW: '08:00-18:00', TOKENWATCH_SEND_DAYS: 'mon-fri', TOKENWATCH_DIGEST_MIN: '0', TOKENWATCH_HTTP: 'off' });
      const result = await cli.run('doctor');
      expect(result.stdout).toMatch(/^sending {3}one message per token, window 08:00-18:00 mon,tue,wed,thu,fri \(at once: expired,smallest\), HTTP off$/m);
    });

    it('reports smtp failed and exits 1 when nothing listens at the SMTP URL', async () => {
      const port = await unusedPort();
      cli.env['TOKENWATCH_SMTP_URL'] = `smtp://127.0.0.1:${port}`;
      const result = await cli.run('doctor');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^smtp\\s+failed\\s+cannot use SMTP server smtp://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`, 'm'));
      expect(result.stdout).toMatch(/^slack\s+ok\s+workspace "Example" \(https:\/\/example\.slack\.com\/\), bot user @tokenwatch \(U0001\)$/m);
    });

    it('reports slack failed naming invalid_auth when Slack refuses the token, without showing it', async () => {
      cli.env['SLACK_BOT_TOKEN'] = 'xoxb-revoked';
      const result = await cli.run('doctor');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^slack\s+failed\s+Slack refused auth\.test: invalid_auth$/m);
      expect(result.stdout).toMatch(/^smtp\s+ok\s+server smtp:\/\/127\.0\.0\.1:\d+$/m);
      expect(result.stdout).not.toContain('xoxb-revoked');
    });

    it('reports the outbox failed after a delivery failed for good', async () => {
      await addAcme();
      slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
      expect((await cli.run('scan')).code).toBe(1);
      const result = await cli.run('doctor');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^smtp\s+ok\s+server smtp:\/\/127\.0\.0\.1:\d+$/m);
      expect(result.stdout).toMatch(/^slack\s+ok\s+workspace "Example" \(https:\/\/example\.slack\.com\/\), bot user @tokenwatch \(U0001\)$/m);
      expect(result.stdout).toMatch(
        /^outbox\s+failed\s+deliveries failed for good; latest: "Acme Main" slack:#mdm: Slack refused chat\.postMessage to "#mdm": channel_not_found \(see "tokenwatch history"; after fixing it, "tokenwatch retry"\)$/m,
      );
    });
  });

  describe('retry', () => {
    it('queues a delivery that failed for good again once its cause is fixed, and the next scan sends it once', async () => {
      await addAcme();
      slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
      expect((await cli.run('scan')).code).toBe(1);
      expect((await cli.run('scan')).code).toBe(0); // failed for good: not retried by itself
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);

      expect((await cli.run('retry', 'Nobody')).code).toBe(2);
      expect((await cli.run('retry', 'Acme Main')).stdout).toBe('Queued 1 failed delivery again; the daemon (or "tokenwatch scan") sends it.');
      expect((await cli.run('scan')).code).toBe(0);
      expect((await cli.run('scan')).code).toBe(0);
      expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
      expect(smtp.messages).toHaveLength(2);
      expect((await history()).every((row) => row.status === 'sent')).toBe(true);
      expect((await cli.run('retry')).stdout).toBe('No failed deliveries to retry.');
      expect((await cli.run('doctor')).code).toBe(0);
    });

    it('routes a reminder that had no recipient once recipients are configured, so it is not lost', async () => {
      for (const key of ['TOKENWATCH_MAIL_TO', 'SLACK_BOT_TOKEN', 'TOKENWATCH_SLACK_CHANNEL', 'TOKENWATCH_SLACK_API_URL']) delete cli.env[key];
      await cli.run('add', '--name', 'Nobody told', '--expires', '2027-01-20');
      expect((await cli.run('scan')).code).toBe(1);
      expect(await history()).toEqual([expect.objectContaining({ channel: 'none', status: 'failed', error: expect.stringContaining('no recipient') })]);
      expect((await cli.run('doctor')).code).toBe(1);

      const still = await cli.run('retry');
      expect(still.stdout).toContain('1 reminder has still no recipient');
      cli.env['TOKENWATCH_MAIL_TO'] = 'ops@example.test';
      expect((await cli.run('retry', 'Nobody told')).stdout).toBe('Queued 1 failed delivery again; the daemon (or "tokenwatch scan") sends it.');
      expect((await cli.run('scan')).code).toBe(0);
      expect(smtp.messages.map((m) => `${m.envelopeTo.join()} ${m.subject}`)).toEqual([
        'ops@example.test [tokenwatch] VPP token "Nobody told" expires in 19 days (2027-01-20)',
      ]);
      expect((await history()).map((row) => `${row.channel} ${row.status}`).sort()).toEqual(['email sent', 'none cancelled']);
      expect((await cli.run('doctor')).code).toBe(0);
    });
  });

  describe('with neither SMTP nor Slack configured', () => {
    it('scan writes each reminder under the preview folder as the .eml and .slack.json its real deliveries would be', async () => {
      for (const key of ['TOKENWATCH_SMTP_URL', 'SLACK_BOT_TOKEN', 'TOKENWATCH_SLACK_API_URL']) delete cli.env[key];
      await addAcme();
      const result = await cli.run('scan');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/3 sent, 0 to retry, 0 failed\.$/);
      expect(smtp.stats.connections).toBe(0);
      expect(slack.calls).toHaveLength(0);

      // One email per recipient and one Slack post, as email and Slack would send them.
      const previewDir = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
      const files = fs.readdirSync(previewDir).sort();
      const emls = files.filter((file) => file.endsWith('.eml'));
      const jsons = files.filter((file) => file.endsWith('.slack.json'));
      expect([emls.length, jsons.length, files.length]).toEqual([2, 1, 3]);
      for (const file of files) expect(file).toMatch(/tokenwatch-vpp-token-acme-main-expires-in-30-days/);

      const mails = await Promise.all(emls.map(async (eml) => simpleParser(fs.readFileSync(path.join(previewDir, eml)))));
      expect(mails.map((mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '')).sort()).toEqual(['it@example.test', 'ops@example.test']);
      const [mail] = mails;
      expect(mail?.subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-31)');
      expect(mail?.text).toContain('"Global / Acme / iOS"');
      expect(mail?.html).toContain('&quot;vpp@acme.test&quot;');
      const payload = JSON.parse(fs.readFileSync(path.join(previewDir, jsons[0] ?? ''), 'utf8')) as { channel: string; text: string; blocks: Block[] };
      expect(payload.channel).toBe('#mdm');
      expect(payload.text).toContain('VPP token "Acme Main" expires in 30 days');
      expect(payload.blocks[0]?.type).toBe('header');
      expect((await history()).map((row) => `${row.channel}:${row.recipient} ${row.status}`).sort()).toEqual([
        'preview:email:it@example.test sent',
        'preview:email:ops@example.test sent',
        'preview:slack:#mdm sent',
      ]);
    });

    it('offers TOKENWATCH_CONSOLE_URL as a button next to the Apple portal, and refuses an address that is not http(s)', async () => {
      for (const key of ['TOKENWATCH_SMTP_URL', 'SLACK_BOT_TOKEN', 'TOKENWATCH_SLACK_API_URL']) delete cli.env[key];
      cli.env['TOKENWATCH_CONSOLE_URL'] = 'javascript:alert(1)';
      const refused = await cli.run('list');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/TOKENWATCH_CONSOLE_URL.*not an http\(s\) URL/);
      cli.env['TOKENWATCH_CONSOLE_URL'] = 'https://uem.acme.test/AirWatch';
      await addAcme();
      expect((await cli.run('scan')).code).toBe(0);
      const previewDir = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
      const files = fs.readdirSync(previewDir);
      const mail = await simpleParser(fs.readFileSync(path.join(previewDir, files.find((file) => file.endsWith('.eml')) ?? '')));
      expect(mail.html).toMatch(/<a class="tw-button" href="https:\/\/uem\.acme\.test\/AirWatch"[^>]*>Open the console<\/a>/);
      const payload = fs.readFileSync(path.join(previewDir, files.find((file) => file.endsWith('.slack.json')) ?? ''), 'utf8');
      expect(payload).toContain('"url": "https://uem.acme.test/AirWatch"');
    });
  });
});
