// The preview channel: each reminder becomes a real .eml and a .slack.json in an owner-only folder; a reminder routed to
// one recipient becomes only that channel's file, addressed as the real delivery would be.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createMemoryLogger, silentLogger } from '../../src/log';
import { createPreviewChannel } from '../../src/notify/preview-channel';
import { PREVIEW_RECIPIENT } from '../../src/domain/routing';
import { renderedMessage } from '../../src/domain/message/message';
import { sampleRendered, sampleMessage } from '../support/messages';
import { makeTempDir, removeDir } from '../support/temp-dir';

const FROM = 'tokenwatch <tokenwatch@localhost>';

describe('the preview channel', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = makeTempDir();
    out = path.join(dir, 'data', 'outbox-preview');
  });
  afterEach(() => removeDir(dir));

  it('writes the email as an .eml that mailparser reads back with the subject, sender, recipients and both parts', async () => {
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: ['a@example.org', 'b@example.org'], logger: silentLogger });
    const message = sampleRendered();
    await channel.send(PREVIEW_RECIPIENT, renderedMessage(message));
    await channel.close();

    const emls = fs.readdirSync(out).filter((name) => name.endsWith('.eml'));
    expect(emls).toHaveLength(1);
    const parsed = await simpleParser(fs.readFileSync(path.join(out, emls[0] ?? '')));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.text).toBe('"tokenwatch" <tokenwatch@localhost>');
    expect(Array.isArray(parsed.to) ? undefined : parsed.to?.value.map((a) => a.address)).toEqual(['a@example.org', 'b@example.org']);
    expect(parsed.text?.trim()).toBe(message.text.trim());
    expect(parsed.html).toContain('<strong>');
  });

  it('writes the Slack payload as pretty-printed JSON next to the .eml', async () => {
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger });
    const message = sampleRendered();
    await channel.send(PREVIEW_RECIPIENT, renderedMessage(message));

    const [json] = fs.readdirSync(out).filter((name) => name.endsWith('.slack.json'));
    const content = fs.readFileSync(path.join(out, json ?? ''), 'utf8');
    expect(JSON.parse(content)).toEqual({ text: message.slack.text, blocks: message.slack.blocks });
    expect(content).toContain('\n  "text"');
  });

  it('shows a placeholder recipient when no email recipient is configured', async () => {
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger });
    await channel.send(PREVIEW_RECIPIENT, sampleMessage());
    const [eml] = fs.readdirSync(out).filter((name) => name.endsWith('.eml'));
    const toLine = /^To: (.*)$/m.exec(fs.readFileSync(path.join(out, eml ?? ''), 'utf8'))?.[1] ?? '';
    expect(toLine).toContain('admin@localhost');
    expect(toLine).toContain('TOKENWATCH_MAIL_TO');
  });

  it('keeps the folder and the files readable by their owner only, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger });
      await channel.send(PREVIEW_RECIPIENT, sampleMessage());
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    const names = fs.readdirSync(out);
    expect(names).toHaveLength(2);
    for (const name of names) expect(fs.statSync(path.join(out, name)).mode & 0o777).toBe(0o600);
  });

  it('names the files after the time and the subject', async () => {
    const now = (): Date => new Date(2026, 5, 16, 9, 5, 7, 42);
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger, now });
    await channel.send(PREVIEW_RECIPIENT, sampleMessage({ subject: 'Urgent: VPP token "Lycée Jean Moulin" expires in 7 days!' }));
    expect(fs.readdirSync(out).sort()).toEqual([
      '20260616-090507-042-urgent-vpp-token-lycee-jean-moulin-expires-in-7-days-1.eml',
      '20260616-090507-042-urgent-vpp-token-lycee-jean-moulin-expires-in-7-days-1.slack.json',
    ]);
  });

  it('gives every send its own files, even many in the same millisecond and across restarts', async () => {
    const now = (): Date => new Date(2026, 5, 16, 9, 0, 0, 0);
    const first = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger, now });
    await Promise.all(Array.from({ length: 20 }, () => first.send(PREVIEW_RECIPIENT, sampleMessage())));
    const restarted = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger, now });
    await restarted.send(PREVIEW_RECIPIENT, sampleMessage());

    const names = fs.readdirSync(out);
    expect(names.filter((name) => name.endsWith('.eml'))).toHaveLength(21);
    expect(names.filter((name) => name.endsWith('.slack.json'))).toHaveLength(21);
  });

  it('logs preview.written with the paths of both files', async () => {
    const logger = createMemoryLogger();
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger });
    await channel.send(PREVIEW_RECIPIENT, sampleMessage());

    const written = logger.lines.filter((line) => line.event === 'preview.written');
    expect(written).toHaveLength(1);
    expect(written[0]?.level).toBe('info');
    const { eml, slack } = written[0]?.fields as { eml: string; slack: string };
    expect(path.dirname(eml)).toBe(out);
    expect(eml).toMatch(/\.eml$/);
    expect(slack).toMatch(/\.slack\.json$/);
    expect(fs.existsSync(eml) && fs.existsSync(slack)).toBe(true);
  });

  it('writes a routed preview as that channel\'s delivery only: the email to its address, the Slack post to its channel, the Teams card to its webhook', async () => {
    const logger = createMemoryLogger();
    const channel = createPreviewChannel({ dir: out, from: FROM, emailTo: ['default@example.org'], logger });
    await channel.send('email:mdm@acme.example', sampleMessage({ subject: 'one' }));
    await channel.send('slack:#acme-mdm', sampleMessage({ subject: 'two' }));
    await channel.send('teams:mdm', sampleMessage({ subject: 'three' }));
    await channel.close();
    const names = fs.readdirSync(out).sort();
    expect(names.map((name) => name.replace(/^.*-(one|two|three)-\d+/, '$1')).sort()).toEqual(['one.eml', 'three.teams.json', 'two.slack.json']);
    const read = (suffix: string): string => fs.readFileSync(path.join(out, names.find((name) => name.endsWith(suffix)) ?? ''), 'utf8');
    expect((await simpleParser(read('.eml'))).to).toMatchObject({ text: 'mdm@acme.example' });
    expect(JSON.parse(read('.slack.json'))).toMatchObject({ channel: '#acme-mdm' });
    expect(JSON.parse(read('.teams.json'))).toMatchObject({ webhook: 'mdm', type: 'message' });
    expect(logger.lines.filter((line) => line.event === 'preview.written').map((line) => Object.keys(line.fields ?? {}))).toEqual([
      ['eml', 'recipient'],
      ['slack', 'recipient'],
      ['teams', 'recipient'],
    ]);
  });

  it('verifies that the folder can be written, creating it, and says why when it cannot', async () => {
    await createPreviewChannel({ dir: out, from: FROM, emailTo: [], logger: silentLogger }).verify();
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(out)).toEqual([]);

    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const blocked = path.join(dir, 'a-file', 'preview');
    await expect(createPreviewChannel({ dir: blocked, from: FROM, emailTo: [], logger: silentLogger }).verify()).rejects.toThrow(
      `cannot write to the preview folder ${blocked}`,
    );
  });
});
