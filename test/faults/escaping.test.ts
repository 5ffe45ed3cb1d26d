// Issue 5: token names, account names and Organization Groups with HTML, Slack markup, newlines and very long values
// go through every channel escaped. Driven through the CLI, received by a real SMTP server and a fake Slack API.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeSlack, type FakeSlackServer } from '../support/fake-slack-server';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

const SLACK_TOKEN = 'xoxb-escaping-test';

const MARKUP_NAME = '<b>Acme</b> & "Co" <!channel>';
const APPLE_ID = '<script>alert(1)</script>@x.test';
const ORG_GROUP = 'Global / <a href="http://evil">OG</a> / *bold* _it_ <@U123> <http://evil.test|click>';

/** A text body with its wrapped lines joined again (a continuation line is indented). */
const unwrapped = (text: string): string => text.replace(/\n +/g, ' ');
// 200 characters (the longest name allowed), markup throughout, so any cut lands inside some markup.
const LONG_NAME = '<i>x</i> & <!here> <@U999> '.repeat(10).slice(0, 200);
/** Markup in a token file's orgName (line breaks in it are refused: see the CLI tests below). */
const FILE_ORG_NAME = 'Acme <img src=x onerror=alert(1)> Schools';
const FILE_ORG_NAME_WITH_BREAKS = 'Acme\n<img src=x onerror=alert(1)>\r\nSchools';
const FILE_TOKEN_NAME = 'From file';

/** Raw markup from the values above: none of it may reach HTML or Slack unescaped. */
const RAW_MARKUP = ['<script', '</script>', '<a href', '<img', '<b>', '<i>', '<!channel>', '<!here>', '<@U123>', '<@U999>', '<http://evil.test|click>'];

/** The same values as the HTML escaping writes them. */
const HTML_ESCAPED = [
  '&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Co&quot; &lt;!channel&gt;',
  '&lt;script&gt;alert(1)&lt;/script&gt;@x.test',
  'Global / &lt;a href=&quot;http://evil&quot;&gt;OG&lt;/a&gt; / *bold* _it_ &lt;@U123&gt; &lt;http://evil.test|click&gt;',
];

/** The one piece of Slack markup tokenwatch generates itself: Slack's date formatting of the expiry (issue 8). */
const SLACK_DATE = /<!date\^\d+\^\{date_long_pretty\} at \{time\}\|[^<>|&]+>/g;

function withoutSlackDate(text: string): string {
  return text.replace(SLACK_DATE, '');
}

type TextObject = { type: string; text: string };
type Block = { type: string; text?: TextObject; fields?: TextObject[]; elements?: TextObject[] };

/** Every text object of the blocks, with the block type it sits in. */
function textsOf(blocks: readonly Block[]): { block: string; type: string; text: string }[] {
  return blocks.flatMap((block) =>
    [...(block.text === undefined ? [] : [block.text]), ...(block.fields ?? []), ...(block.elements ?? [])].map((object) => ({
      block: block.type,
      type: object.type,
      text: object.text,
    })),
  );
}

describe('escaping of user-supplied values (issue 5)', () => {
  let dir: string;
  let cli: CliHarness;
  let smtp: SmtpReceiver | null = null;
  let slack: FakeSlackServer | null = null;

  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir, { TOKENWATCH_MAIL_TO: 'ops@example.test', TOKENWATCH_SLACK_CHANNEL: '#mdm' });
  });
  afterEach(async () => {
    await smtp?.close();
    await slack?.close();
    smtp = null;
    slack = null;
    removeDir(dir);
  });

  async function startServers(): Promise<{ smtp: SmtpReceiver; slack: FakeSlackServer }> {
    smtp = await startSmtpReceiver();
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    Object.assign(cli.env, { TOKENWATCH_SMTP_URL: smtp.url, SLACK_BOT_TOKEN: SLACK_TOKEN, TOKENWATCH_SLACK_API_URL: slack.apiUrl });
    return { smtp, slack };
  }

  /** Three tokens 30 days before expiry: markup in every field, a 200-character name, a file orgName with newlines. */
  async function registerHostileTokens(): Promise<void> {
    const results = [
      await cli.run('add', '--name', MARKUP_NAME, '--expires', '2027-01-31', '--apple-id', APPLE_ID, '--org-group', ORG_GROUP),
      await cli.run('add', '--name', LONG_NAME, '--expires', '2027-01-31', '--apple-id', APPLE_ID, '--org-group', ORG_GROUP),
    ];
    const file = path.join(dir, 'hostile.vpptoken');
    fs.writeFileSync(file, makeTokenFile({ token: 'secret', expDate: '2027-01-31T09:00:00+0100', orgName: FILE_ORG_NAME }));
    results.push(await cli.run('import', file, '--name', FILE_TOKEN_NAME, '--org-group', ORG_GROUP));
    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
  }

  describe('by email', () => {
    it('escapes every value in the HTML part, keeps them literal in the text part, and keeps the subject on one line', async () => {
      const servers = await startServers();
      await registerHostileTokens();
      expect((await cli.run('scan')).code).toBe(0);
      const mails = await servers.smtp.waitForMessages(3);
      expect(mails).toHaveLength(3);

      for (const mail of mails) {
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.subject).toMatch(/^\[tokenwatch\] VPP token ".*" expires in 30 days \(2027-01-31\)$/);
        for (const raw of RAW_MARKUP) expect(mail.html).not.toContain(raw);
        expect(mail.html).toContain('Global / &lt;a href=&quot;http://evil&quot;&gt;OG&lt;/a&gt;');
        // The text part is wrapped at 72 columns: read it with its continuation lines joined.
        expect(unwrapped(mail.text)).toContain(`"${ORG_GROUP}"`);
      }

      const markup = mails.find((mail) => mail.subject.includes('Acme</b>'));
      expect(markup?.subject).toBe(`[tokenwatch] VPP token "${MARKUP_NAME}" expires in 30 days (2027-01-31)`);
      for (const escaped of HTML_ESCAPED) expect(markup?.html).toContain(escaped);
      for (const literal of [MARKUP_NAME, `"${APPLE_ID}"`, `"${ORG_GROUP}"`]) expect(unwrapped(markup?.text ?? '')).toContain(literal);

      const long = mails.find((mail) => mail.subject.includes('<@U999>'));
      // The subject names the token cut to 80 characters; the body carries the whole name.
      expect(long?.subject).toContain(`"${LONG_NAME.slice(0, 79)}…"`);
      expect(unwrapped(long?.text ?? '')).toContain(`Token: ${LONG_NAME.trim()} (VPP)`);
      expect(long?.html).toContain('&lt;i&gt;x&lt;/i&gt; &amp; &lt;!here&gt; &lt;@U999&gt;');

      const fromFile = mails.find((mail) => mail.subject.includes(FILE_TOKEN_NAME));
      expect(fromFile?.text).toContain('Organization: Acme <img src=x onerror=alert(1)> Schools\n');
      expect(fromFile?.html).toContain('Acme &lt;img src=x onerror=alert(1)&gt; Schools');
    });
  });

  describe('by Slack', () => {
    it('escapes <, > and & of user values in every mrkdwn text and in the fallback text, within Block Kit limits', async () => {
      const servers = await startServers();
      await registerHostileTokens();
      expect((await cli.run('scan')).code).toBe(0);
      const posts = servers.slack.callsTo('chat.postMessage');
      expect(posts).toHaveLength(3);

      for (const post of posts) {
        const blocks = post.args['blocks'] as Block[];
        expect(blocks.length).toBeLessThanOrEqual(50);
        const text = String(post.args['text']);
        expect(text).not.toMatch(/[<>]/);
        for (const object of textsOf(blocks).filter((o) => o.type === 'mrkdwn')) expect(withoutSlackDate(object.text)).not.toMatch(/[<>]/);
        for (const block of blocks) {
          if (block.text !== undefined) expect(block.text.text.length).toBeLessThanOrEqual(3000);
          for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
        }
        const header = blocks[0];
        expect(header?.type).toBe('header');
        expect(header?.text?.type).toBe('plain_text');
        expect(header?.text?.text.length).toBeLessThanOrEqual(150);
        expect(header?.text?.text).not.toMatch(/[\r\n]/);
      }

      const markup = posts.find((post) => String(post.args['text']).includes('Acme&lt;/b&gt;'));
      expect(markup).toBeDefined();
      expect(String(markup?.args['text'])).toContain('&lt;b&gt;Acme&lt;/b&gt; &amp; "Co" &lt;!channel&gt;');
      const fields = textsOf((markup?.args['blocks'] ?? []) as Block[]).map((object) => object.text);
      expect(fields).toEqual(
        expect.arrayContaining([
          '*Token*\n&lt;b&gt;Acme&lt;/b&gt; &amp; "Co" &lt;!channel&gt; (VPP)',
          '*Apple account*\n&lt;script&gt;alert(1)&lt;/script&gt;@x.test',
          '*Organization Group*\nGlobal / &lt;a href="http://evil"&gt;OG&lt;/a&gt; / *bold* _it_ &lt;@U123&gt; &lt;http://evil.test|click&gt;',
        ]),
      );

      const fromFile = posts.find((post) => String(post.args['text']).includes(FILE_TOKEN_NAME));
      expect(String(fromFile?.args['text'])).toContain('Organization: Acme &lt;img src=x onerror=alert(1)&gt; Schools');
    });

    it('posts our own date token for the expiry untouched by the escaping, and a user value cannot forge one (issue 8)', async () => {
      const servers = await startServers();
      const forged = '<!date^1^{date}|forged> <!channel>';
      const added = await cli.run('add', '--name', forged, '--expires', '2027-01-31', '--org-group', '<!date^2^{time}|x>');
      expect(added).toMatchObject({ code: 0, stderr: '' });
      expect((await cli.run('scan')).code).toBe(0);
      const [post] = servers.slack.callsTo('chat.postMessage');
      const texts = textsOf((post?.args['blocks'] ?? []) as Block[]).map((object) => object.text);
      const all = [String(post?.args['text']), ...texts].join('\n');
      // Midnight on 31 January 2027 in Paris, as Unix seconds; the fallback names the configured zone.
      const expected = '<!date^1801350000^{date_long_pretty} at {time}|Sunday 31 January 2027, 00:00 CET (Europe/Paris)>';
      expect(all.match(SLACK_DATE)).toEqual([expected]);
      expect([...all.matchAll(/<!/g)]).toHaveLength(1);
      expect(all).toContain('&lt;!date^1^{date}|forged&gt; &lt;!channel&gt;');
      expect(all).toContain('&lt;!date^2^{time}|x&gt;');
      // The configured-zone text stays visible next to it, and the fallback text carries it too.
      expect(texts.find((text) => text.startsWith('*Expires*'))).toContain('Sunday 31 January 2027, 00:00 CET (Europe/Paris), in 30 days');
      expect(String(post?.args['text'])).toContain('Expires: Sunday 31 January 2027, 00:00 CET (Europe/Paris), in 30 days');
    });

    it('never posts raw user markup in the plain_text header either (<!channel> as &lt;!channel&gt;)', async () => {
      const servers = await startServers();
      await registerHostileTokens();
      await cli.run('scan');
      for (const post of servers.slack.callsTo('chat.postMessage')) {
        const header = (post.args['blocks'] as Block[])[0]?.text?.text ?? '';
        for (const raw of RAW_MARKUP) expect(header).not.toContain(raw);
      }
      const markup = servers.slack.callsTo('chat.postMessage').find((post) => String(post.args['text']).includes('Acme&lt;/b&gt;'));
      expect((markup?.args['blocks'] as Block[])[0]?.text?.text).toContain('&lt;!channel&gt;');
    });
  });

  describe('in preview files', () => {
    it('writes an .eml whose HTML is escaped and a .slack.json whose texts are escaped', async () => {
      await registerHostileTokens();
      expect((await cli.run('scan')).code).toBe(0);
      const previewDir = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
      const files = fs.readdirSync(previewDir);
      const emls = files.filter((file) => file.endsWith('.eml'));
      const payloads = files.filter((file) => file.endsWith('.slack.json'));
      expect(emls).toHaveLength(3);
      expect(payloads).toHaveLength(3);
      for (const file of files) expect(file).toMatch(/^[a-z0-9.-]+$/);

      const mails = await Promise.all(emls.map(async (file) => simpleParser(fs.readFileSync(path.join(previewDir, file)))));
      for (const mail of mails) {
        expect(mail.subject).not.toMatch(/[\r\n]/);
        const html = typeof mail.html === 'string' ? mail.html : '';
        expect(html).toContain('&lt;a href=&quot;http://evil&quot;&gt;OG&lt;/a&gt;');
        for (const raw of RAW_MARKUP) expect(html).not.toContain(raw);
      }
      const markup = mails.find((mail) => mail.subject?.includes('Acme</b>'));
      expect(markup?.subject).toBe(`[tokenwatch] VPP token "${MARKUP_NAME}" expires in 30 days (2027-01-31)`);
      for (const escaped of HTML_ESCAPED) expect(markup?.html).toContain(escaped);
      expect(markup?.text).toContain(`"${APPLE_ID}"`);

      for (const file of payloads) {
        const payload = JSON.parse(fs.readFileSync(path.join(previewDir, file), 'utf8')) as { text: string; blocks: Block[] };
        expect(payload.text).not.toMatch(/[<>]/);
        expect(payload.blocks.length).toBeLessThanOrEqual(50);
        for (const object of textsOf(payload.blocks).filter((o) => o.type === 'mrkdwn')) expect(withoutSlackDate(object.text)).not.toMatch(/[<>]/);
      }
      const json = payloads.map((file) => fs.readFileSync(path.join(previewDir, file), 'utf8')).join('\n');
      expect(json).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@x.test');
      expect(json).toContain('&lt;!channel&gt;');
    });
  });

  describe('at the CLI', () => {
    it.each([
      ['add --name', ['add', '--name', 'Acme\nMain', '--expires', '2027-01-31']],
      ['add --name (carriage return)', ['add', '--name', 'Acme\rMain', '--expires', '2027-01-31']],
      ['edit --rename', ['edit', 'Ok', '--rename', 'Acme\nMain']],
      ['add --org-group', ['add', '--name', 'X', '--expires', '2027-01-31', '--org-group', 'Global\nAcme']],
      ['add --apple-id', ['add', '--name', 'X', '--expires', '2027-01-31', '--apple-id', 'a@x.test\nb@x.test']],
    ])('refuses a value with a line break (%s) with exit 2 and one line', async (_what, args) => {
      await cli.run('add', '--name', 'Ok', '--expires', '2027-05-01');
      const result = await cli.run(...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^tokenwatch: .*line break/);
      expect((JSON.parse((await cli.run('list', '--json')).stdout) as { name: string }[]).map((t) => t.name)).toEqual(['Ok']);
    });

    it('refuses a token file whose orgName (the default name) has a line break, with exit 2 and one line naming the file', async () => {
      const file = path.join(dir, 'hostile.vpptoken');
      fs.writeFileSync(file, makeTokenFile({ token: 'secret', expDate: '2027-01-31T09:00:00+0100', orgName: FILE_ORG_NAME_WITH_BREAKS }));
      const result = await cli.run('import', file);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('hostile.vpptoken: orgName');
      expect(result.stderr).toContain('line break');
    });
  });
});
