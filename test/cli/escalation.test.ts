// Escalation contacts and Slack mentions through the CLI against a real SMTP server, a fake Slack Web API and two
// local Teams Workflows webhooks: contacts (default or per token) receive exactly the token's smallest-threshold
// reminder and every expired alert, once each and in digests like everyone; mentions ping users and user groups.
import type { HistoryJsonRow } from '../../src/cli/commands/history';
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeSlack, type FakeSlackServer, type SlackCall } from '../support/fake-slack-server';
import { startFakeTeams, type FakeTeamsServer } from '../support/fake-teams-server';
import { slackTexts } from '../support/slack-blocks';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const SLACK_TOKEN = 'xoxb-escalation-test';
const ZONE = 'Europe/Paris';


/** Every text of a Slack post: the notification text, then each block's. */
function slackText(call: SlackCall): string {
  return [String(call.args['text']), ...slackTexts((call.args['blocks'] ?? []) as unknown[])].join('\n');
}

describe('escalation contacts and Slack mentions', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let slack: FakeSlackServer;
  let mdm: FakeTeamsServer;
  let oncall: FakeTeamsServer;
  let cli: CliHarness;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    mdm = await startFakeTeams({ sig: 'MDMSIG' });
    oncall = await startFakeTeams({ sig: 'ONCALLSIG' });
    cli = cliHarness(dir, {
      TOKENWATCH_SMTP_URL: smtp.url,
      TOKENWATCH_MAIL_TO: 'ops@example.test',
      TOKENWATCH_MAIL_FROM: 'tokenwatch <tokenwatch@example.test>',
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      TOKENWATCH_SLACK_CHANNEL: '#mdm',
      TOKENWATCH_SLACK_API_URL: slack.apiUrl,
      TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${mdm.webhookUrl},oncall=${oncall.webhookUrl}`,
      TOKENWATCH_TEAMS_DEFAULT: 'mdm',
      TOKENWATCH_THRESHOLDS: '60,30,7',
      TOKENWATCH_EXPIRED_REPEAT_DAYS: '7',
      // ops@ is a usual recipient too: it must get each message once, not twice.
      TOKENWATCH_ESCALATE_EMAIL: 'boss@example.test,ops@example.test',
      TOKENWATCH_ESCALATE_SLACK: '#mdm-oncall',
      TOKENWATCH_ESCALATE_TEAMS: 'oncall',
    });
  });
  afterEach(async () => {
    await smtp.close();
    await slack.close();
    await mdm.close();
    await oncall.close();
    removeDir(dir);
  });

  async function scanOn(day: string): Promise<void> {
    cli.now = DateTime.fromISO(day, { zone: ZONE });
    const result = await cli.run('scan');
    expect({ day, code: result.code, stderr: result.stderr }).toEqual({ day, code: 0, stderr: '' });
  }

  async function history(): Promise<HistoryJsonRow[]> {
    const result = await cli.run('history', '--json', '--limit', '1000');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as HistoryJsonRow[];
  }

  /** The alerts each channel and recipient was sent, oldest first: `email boss@example.test` → ['t7', 'expired']. */
  async function sentTo(): Promise<Record<string, string[]>> {
    const rows = (await history()).filter((row) => row.status === 'sent').reverse();
    const byRecipient: Record<string, string[]> = {};
    for (const row of rows) (byRecipient[`${row.channel} ${row.recipient}`] ??= []).push(`${row.token}:${row.alert}`);
    return byRecipient;
  }

  const mailsTo = (address: string): string[] => smtp.messages.filter((mail) => mail.envelopeTo.includes(address)).map((mail) => mail.subject);
  const postsTo = (channel: string): SlackCall[] => slack.callsTo('chat.postMessage').filter((call) => call.args['channel'] === channel);

  it('sends the default contacts the 7-day reminder and every expired alert, never the 60- and 30-day ones', async () => {
    expect((await cli.run('add', '--name', 'Acme', '--expires', '2027-03-01')).code).toBe(0);
    for (const day of ['2027-01-01T09:00', '2027-01-30T09:00', '2027-02-22T09:00', '2027-03-01T09:00', '2027-03-08T09:00']) await scanOn(day);

    const every = ['Acme:t60', 'Acme:t30', 'Acme:t7', 'Acme:expired', 'Acme:expired+7'];
    const escalated = ['Acme:t7', 'Acme:expired', 'Acme:expired+7'];
    expect(await sentTo()).toEqual({
      'email ops@example.test': every,
      'slack #mdm': every,
      'teams mdm': every,
      'email boss@example.test': escalated,
      'slack #mdm-oncall': escalated,
      'teams oncall': escalated,
    });
    // What the servers saw, message by message.
    expect(mailsTo('boss@example.test')).toEqual([
      '[tokenwatch] VPP token "Acme" expires in 7 days (2027-03-01)',
      '[tokenwatch] EXPIRED: VPP token "Acme" expired on 2027-03-01',
      '[tokenwatch] EXPIRED: VPP token "Acme" expired on 2027-03-01',
    ]);
    expect(mailsTo('ops@example.test')).toHaveLength(5);
    expect(smtp.messages.every((mail) => mail.envelopeTo.length === 1)).toBe(true);
    expect(postsTo('#mdm-oncall').map((call) => String(call.args['text']).split('\n')[0])).toEqual([
      expect.stringContaining('expires in 7 days'),
      expect.stringContaining('expired on 2027-03-01'),
      expect.stringContaining('expired on 2027-03-01'),
    ]);
    expect(postsTo('#mdm')).toHaveLength(5);
    expect(oncall.posts().map((post) => post.visibleText)).toEqual([
      expect.stringContaining('expires in 7 days'),
      expect.stringContaining('expired on 2027-03-01'),
      expect.stringContaining('expired on 2027-03-01'),
    ]);
    expect(mdm.posts()).toHaveLength(5);
  });

  it("follows the token's own thresholds and its own contacts, which replace the default ones per channel", async () => {
    const added = await cli.run(
      'add', '--name', 'Beta', '--expires', '2027-03-01', '--thresholds', '45,14', '--escalate-email', 'owner@example.test', '--escalate-teams', 'mdm',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    for (const day of ['2027-01-15T09:00', '2027-02-15T09:00', '2027-03-01T09:00']) await scanOn(day);
    expect(await sentTo()).toEqual({
      'email ops@example.test': ['Beta:t45', 'Beta:t14', 'Beta:expired'],
      'slack #mdm': ['Beta:t45', 'Beta:t14', 'Beta:expired'],
      // Its own Teams contact is the default webhook: one message there, no post to oncall.
      'teams mdm': ['Beta:t45', 'Beta:t14', 'Beta:expired'],
      'email owner@example.test': ['Beta:t14', 'Beta:expired'],
      // Slack has no contact of its own: the default one.
      'slack #mdm-oncall': ['Beta:t14', 'Beta:expired'],
    });
    expect(mailsTo('boss@example.test')).toEqual([]);
    expect(oncall.posts()).toEqual([]);
    expect(mailsTo('owner@example.test')).toEqual([
      '[tokenwatch] VPP token "Beta" expires in 14 days (2027-03-01)',
      '[tokenwatch] EXPIRED: VPP token "Beta" expired on 2027-03-01',
    ]);
  });

  it('escalates the expired alert of a token first seen after its smallest threshold, and not the skipped reminders', async () => {
    cli.now = DateTime.fromISO('2027-02-27T09:00', { zone: ZONE });
    await cli.run('add', '--name', 'Late', '--expires', '2027-02-20');
    await scanOn('2027-02-27T09:00');
    expect(await sentTo()).toEqual({
      'email ops@example.test': ['Late:expired+7'],
      'slack #mdm': ['Late:expired+7'],
      'teams mdm': ['Late:expired+7'],
      'email boss@example.test': ['Late:expired+7'],
      'slack #mdm-oncall': ['Late:expired+7'],
      'teams oncall': ['Late:expired+7'],
    });
  });

  it('puts escalated reminders in digests under the same rule as everyone: one email listing each token once', async () => {
    const names = ['One', 'Two', 'Three', 'Four'];
    for (const name of names) expect((await cli.run('add', '--name', name, '--expires', '2027-03-01')).code).toBe(0);
    await scanOn('2027-02-22T09:00');
    const rows = (await history()).filter((row) => row.recipient === 'boss@example.test');
    expect(rows.map((row) => `${row.token}:${row.alert}:${row.status}`).sort()).toEqual(names.map((name) => `${name}:t7:sent`).sort());
    expect(new Set(rows.map((row) => row.digest)).size).toBe(1);
    expect(rows[0]?.digest).not.toBeNull();
    const [digest, ...more] = mailsTo('boss@example.test');
    expect(more).toEqual([]);
    expect(digest).toMatch(/^\[tokenwatch\] 4 tokens to renew/);
    const text = smtp.messages.find((mail) => mail.envelopeTo.includes('boss@example.test'))?.text ?? '';
    for (const name of names) expect(text.split(`${name} (VPP)`)).toHaveLength(2);
    expect(postsTo('#mdm-oncall')).toHaveLength(1);
    expect(oncall.posts()).toHaveLength(1);
  });

  it('mentions the Slack users and user groups of --slack-mention in the Slack message and its notification text', async () => {
    const added = await cli.run('add', '--name', 'Acme', '--expires', '2027-01-31', '--slack-mention', 'U0123ABCD,W0456EFGH,S0789IJKL');
    expect(added.code).toBe(0);
    const shown = await cli.run('show', 'Acme');
    expect(shown.stdout).toMatch(/^Slack mentions: +U0123ABCD, W0456EFGH, S0789IJKL$/m);
    expect(JSON.parse((await cli.run('show', 'Acme', '--json')).stdout)).toMatchObject({ slackMentions: ['U0123ABCD', 'W0456EFGH', 'S0789IJKL'] });
    await scanOn('2027-01-01T10:00');
    const [post] = postsTo('#mdm');
    const pings = '<@U0123ABCD> <@W0456EFGH> <!subteam^S0789IJKL>';
    expect(String(post?.args['text'])).toMatch(new RegExp(`^${pings.replace(/[\^$]/g, '\\$&')} `));
    const blocks = (post?.args['blocks'] ?? []) as { type: string; text?: { text: string } }[];
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: pings, verbatim: true } });
    // The email and the Teams card have nothing to ping: they do not show Slack ids.
    expect(smtp.messages[0]?.text).not.toContain('U0123ABCD');
    expect(mdm.posts()[0]?.visibleText).not.toContain('U0123ABCD');
  });

  it('mentions the default TOKENWATCH_SLACK_MENTION, and every token\'s people once in a digest', async () => {
    cli.env['TOKENWATCH_SLACK_MENTION'] = 'S0DEFAULT1';
    for (const name of ['One', 'Two', 'Three']) await cli.run('add', '--name', name, '--expires', '2027-01-31');
    await cli.run('add', '--name', 'Four', '--expires', '2027-01-31', '--slack-mention', 'U0OWNER42');
    await scanOn('2027-01-01T10:00');
    const posts = postsTo('#mdm');
    expect(posts).toHaveLength(1);
    const text = slackText(posts[0] as SlackCall);
    expect(text.split('<!subteam^S0DEFAULT1>')).toHaveLength(3); // in the notification text and one block
    expect(text.split('<@U0OWNER42>')).toHaveLength(3);
  });

  it.each([
    ['a user name', ['--slack-mention', '@alice'], '--slack-mention: "@alice" is not a Slack user or user-group ID (expected U… or W… for a person, S… for a user group, e.g. U0123ABCD)'],
    ['a channel id', ['--slack-mention', 'U0123ABCD,C0123ABCD'], '--slack-mention: "C0123ABCD" is not a Slack user or user-group ID'],
    ['a lower-case id', ['--slack-mention', 'u0123abcd'], '--slack-mention: "u0123abcd" is not a Slack user or user-group ID'],
    ['a bad escalation address', ['--escalate-email', 'boss'], '--escalate-email: "boss" is not an email address'],
    ['a bad escalation channel', ['--escalate-slack', '#Oncall'], '--escalate-slack: "#Oncall" is not a Slack channel'],
    ['an unknown escalation webhook', ['--escalate-teams', 'oncall,sales'], '--escalate-teams: "sales" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: mdm, oncall)'],
  ])('refuses %s in one line with exit 2, registry untouched', async (_what, options, expected) => {
    await cli.run('add', '--name', 'Existing', '--expires', '2027-06-01');
    const before = fs.readFileSync(cli.dbPath);
    for (const command of [['add', '--name', 'New', '--expires', '2027-06-01'], ['edit', 'Existing']]) {
      const result = await cli.run(...command, ...options);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`tokenwatch: ${expected}`);
    }
    expect(fs.readFileSync(cli.dbPath).equals(before)).toBe(true);
  });

  it.each([
    ['TOKENWATCH_SLACK_MENTION', 'alice', 'TOKENWATCH_SLACK_MENTION: "alice" is not a Slack user or user-group ID'],
    ['TOKENWATCH_ESCALATE_EMAIL', 'boss@example.test,nobody', 'TOKENWATCH_ESCALATE_EMAIL: "nobody" is not an email address'],
    ['TOKENWATCH_ESCALATE_SLACK', 'On Call', 'TOKENWATCH_ESCALATE_SLACK: "On Call" is not a Slack channel'],
    ['TOKENWATCH_ESCALATE_TEAMS', 'sales', 'TOKENWATCH_ESCALATE_TEAMS: "sales" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: mdm, oncall)'],
  ])('refuses %s=%s at start-up in one line', async (variable, value, expected) => {
    cli.env[variable] = value;
    const result = await cli.run('list');
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(expected);
  });

  it('reads the default contacts and mentions from the config file, lists or comma-separated', async () => {
    for (const variable of ['TOKENWATCH_ESCALATE_EMAIL', 'TOKENWATCH_ESCALATE_SLACK', 'TOKENWATCH_ESCALATE_TEAMS']) delete cli.env[variable];
    fs.writeFileSync(`${dir}/tokenwatch.json`, JSON.stringify({ escalateEmail: ['boss@example.test'], escalateSlack: '#oncall', slackMention: ['U0123ABCD', 'S0456EFGH'] }));
    cli.env['TOKENWATCH_CONFIG'] = `${dir}/tokenwatch.json`;
    cli.env['TOKENWATCH_ESCALATE_TEAMS'] = 'oncall';
    await cli.run('add', '--name', 'Acme', '--expires', '2027-01-08');
    await scanOn('2027-01-01T10:00');
    expect(await sentTo()).toMatchObject({ 'email boss@example.test': ['Acme:t7'], 'slack #oncall': ['Acme:t7'], 'teams oncall': ['Acme:t7'] });
    expect(String(postsTo('#oncall')[0]?.args['text'])).toMatch(/^<@U0123ABCD> <!subteam\^S0456EFGH> /);
  });

  it('imports the escalation and mention columns of a CSV, and edits and clears them', async () => {
    const csv = `${dir}/tokens.csv`;
    fs.writeFileSync(csv, 'name,expires,escalate_email,escalate_slack,escalate_teams,slack_mention\nAcme,2027-06-01,"a@example.test,b@example.test","#oncall,U0123ABCD",oncall,"U0123ABCD,S0456EFGH"\n');
    expect((await cli.run('import', '--csv', csv)).code).toBe(0);
    expect(JSON.parse((await cli.run('show', 'Acme', '--json')).stdout)).toMatchObject({
      escalateEmail: ['a@example.test', 'b@example.test'],
      escalateSlack: ['#oncall', 'U0123ABCD'],
      escalateTeams: ['oncall'],
      slackMentions: ['U0123ABCD', 'S0456EFGH'],
    });
    expect((await cli.run('edit', 'Acme', '--escalate-email', 'c@example.test', '--clear', 'escalate-slack', 'escalate-teams', 'slack-mention')).code).toBe(0);
    const shown = await cli.run('show', 'Acme');
    expect(shown.stdout).toMatch(/^Escalate email: +c@example\.test$/m);
    // Cleared: the token takes the configured defaults, which show names.
    expect(shown.stdout).toMatch(/^Escalate Slack: +\(default: #mdm-oncall\)$/m);
    expect(shown.stdout).toMatch(/^Escalate Teams: +\(default: oncall\)$/m);
    expect(shown.stdout).toMatch(/^Slack mentions: +\(default: none\)$/m);

    fs.writeFileSync(csv, 'name,expires,slack_mention\nBeta,2027-06-01,U0123ABCD\nGamma,2027-06-01,bob\n');
    const refused = await cli.run('import', '--csv', csv);
    expect(refused).toMatchObject({ code: 2, stderr: `tokenwatch: ${csv} line 3: slack_mention: "bob" is not a Slack user or user-group ID (expected U… or W… for a person, S… for a user group, e.g. U0123ABCD)` });
    expect((await cli.run('show', 'Beta')).code).toBe(2);
  });
});
