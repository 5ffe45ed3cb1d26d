// Preview first, delivery later: a reminder that only went to the preview folder still reaches the token's recipients
// once email is configured (only the current one, once), previews go where real deliveries would, and history marks
// previews as such.
import type { HistoryJsonRow } from '../../src/cli/commands/history';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { cliHarness, type CliHarness } from '../support/cli';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';


describe('preview, then real delivery', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let cli: CliHarness;
  const previewDir = (): string => cli.env['TOKENWATCH_PREVIEW_DIR'] as string;
  const previews = (suffix: string): string[] =>
    fs.existsSync(previewDir()) ? fs.readdirSync(previewDir()).filter((file) => file.endsWith(suffix)).sort() : [];
  const history = async (): Promise<HistoryJsonRow[]> => JSON.parse((await cli.run('history', '--json')).stdout) as HistoryJsonRow[];
  const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Paris' });
  const enableEmail = (): void => {
    cli.env['TOKENWATCH_SMTP_URL'] = smtp.url;
    cli.env['TOKENWATCH_MAIL_TO'] = 'ops@acme.example';
    cli.env['TOKENWATCH_MAIL_FROM'] = 'tokenwatch <tokenwatch@acme.example>';
  };

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    cli = cliHarness(dir);
    cli.now = at('2027-01-01T10:00');
  });
  afterEach(async () => {
    await smtp.close();
    removeDir(dir);
  });

  it('writes the preview to the token\'s own recipients, as the real delivery would go', async () => {
    await cli.run('add', '--name', 'Acme Corp', '--expires', '2027-02-20', '--email', 'mdm@acme.example');
    await cli.run('add', '--name', 'Acme Chat', '--expires', '2027-02-20', '--slack-channel', '#acme-mdm');
    expect((await cli.run('scan')).code).toBe(0);
    const [eml, ...otherEmails] = previews('.eml');
    expect(otherEmails).toEqual([]);
    const mail = await simpleParser(fs.readFileSync(path.join(previewDir(), eml as string)));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('mdm@acme.example');
    expect(mail.subject).toMatch(/"Acme Corp"/);
    const [slack, ...otherPosts] = previews('.slack.json');
    expect(otherPosts).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(previewDir(), slack as string), 'utf8'))).toMatchObject({ channel: '#acme-mdm' });
    expect((await history()).map((row) => `${row.token} ${row.channel} ${row.recipient}`).sort()).toEqual([
      'Acme Chat preview slack:#acme-mdm',
      'Acme Corp preview email:mdm@acme.example',
    ]);
  });

  it('sends the previewed reminder by email once SMTP is set, to the token\'s recipients, once', async () => {
    await cli.run('add', '--name', 'Acme Corp', '--expires', '2027-02-20', '--email', 'mdm@acme.example');
    expect((await cli.run('scan')).stdout).toMatch(/1 queued, 0 skipped, 1 sent/);
    expect(smtp.messages).toHaveLength(0);

    enableEmail();
    cli.now = at('2027-01-01T11:00');
    const scan = await cli.run('scan');
    expect(scan.stdout.split('\n')).toEqual([
      expect.stringMatching(/^Queued t60 for "Acme Corp": /),
      expect.stringMatching(/1 queued, 0 skipped, 1 sent, 0 to retry, 0 failed\.$/),
    ]);
    expect(smtp.messages.map((m) => [m.envelopeTo.join(), m.subject])).toEqual([
      ['mdm@acme.example', expect.stringMatching(/^\[tokenwatch\].*"Acme Corp" expires in 50 days/)],
    ]);
    expect((await cli.run('scan')).stdout).toMatch(/0 queued, 0 skipped, 0 sent/);
    cli.now = at('2027-01-05T09:00');
    expect((await cli.run('scan')).stdout).toMatch(/0 queued, 0 skipped, 0 sent/);
    expect(smtp.messages).toHaveLength(1);

    // The preview stays in history, marked as one.
    const rows = await history();
    expect(rows.map((row) => [row.alert, row.channel, row.recipient, row.isPreview, row.status])).toEqual([
      ['t60', 'email', 'mdm@acme.example', false, 'sent'],
      ['t60', 'preview', 'email:mdm@acme.example', true, 'sent'],
    ]);
    const table = (await cli.run('history')).stdout;
    expect(table).toMatch(/t60\s+preview of email:mdm@acme\.example\s+previewed/);
    expect(table).toMatch(/t60\s+email:mdm@acme\.example\s+sent/);
  });

  it('sends only the current reminder: older previews it superseded stay unsent', async () => {
    await cli.run('add', '--name', 'Acme Corp', '--expires', '2027-02-20');
    await cli.run('scan'); // 50 days left: t60 previewed
    cli.now = at('2027-01-27T10:00');
    await cli.run('scan'); // 24 days left: t30 previewed
    // Registered after the last preview: nothing of it was previewed.
    await cli.run('add', '--name', 'Acme Late', '--expires', '2027-02-20');

    enableEmail();
    cli.now = at('2027-01-28T10:00');
    const scan = await cli.run('scan');
    expect(scan.stdout).toMatch(/2 queued, 1 skipped, 2 sent/);
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/"Acme Corp" expires in 23 days/),
      expect.stringMatching(/"Acme Late" expires in 23 days/),
    ]);
    expect((await history()).filter((row) => !row.isPreview).map((row) => `${row.token} ${row.alert}`).sort()).toEqual([
      'Acme Corp t30',
      'Acme Late t30',
    ]);
  });
});
