// docs/quick-start.md and the README's quick start work as written: their commands, run in order on the samples in
// examples/ against the built binary (and the local SMTP server of test/support in place of the SMTP URL they name),
// show the reminders in the preview folder first, then deliver the same reminders by email, once.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { runTokenwatch } from '../support/process';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const DOC = path.join(root, 'docs/quick-start.md');
const README = path.join(root, 'README.md');
const DOC_SMTP_URL = 'smtp://127.0.0.1:1025';

/** The lines of the doc's ```sh blocks, continuation lines joined and trailing comments removed. */
function shellLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The README's "## Quick start" section, up to the next heading of its level. */
function readmeQuickStart(): string {
  const readme = fs.readFileSync(README, 'utf8');
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Quick start" section');
  return section;
}

/** Splits a command line into words as a POSIX shell would for these simple lines (quotes, no expansions). */
function words(line: string): string[] {
  const result: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) result.push(match[1] ?? match[2] ?? match[3] ?? '');
  return result;
}

describe('the quick starts (docs/quick-start.md and the README)', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  beforeEach(async () => {
    // A fresh clone, as far as the commands can tell: the samples, and nothing else (no data/, no config/).
    dir = makeTempDir();
    fs.cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
    smtp = await startSmtpReceiver();
  });
  afterEach(async () => {
    await smtp.close();
    removeDir(dir);
  });

  const previewDir = (): string => path.join(dir, 'data', 'outbox-preview');
  const previews = (): string[] => (fs.existsSync(previewDir()) ? fs.readdirSync(previewDir()).filter((file) => file.endsWith('.eml')).sort() : []);

  /** Runs a document's shell lines in order; after each scan, the preview emails and the emails received so far. */
  async function runAsWritten(lines: readonly string[], env: Record<string, string>): Promise<{ previews: string[]; received: number }[]> {
    const afterScans: { previews: string[]; received: number }[] = [];
    for (const line of lines) {
      const [command, ...args] = words(line);
      if (command === 'npm') continue; // install and link: the tests run on the built tree
      if (command === 'export') {
        const [name = '', ...value] = (args[0] ?? '').split('=');
        env[name] = value.join('=') === DOC_SMTP_URL ? smtp.url : value.join('=');
        continue;
      }
      if (command === 'ls') {
        expect(fs.readdirSync(path.join(dir, args[0] ?? '')).length).toBeGreaterThan(0);
        continue;
      }
      expect(command).toBe('tokenwatch');
      const run = await runTokenwatch(args, env, dir);
      expect({ line, code: run.code, stderr: run.stderr.split('\n').filter((l) => !l.startsWith('{')).join('\n') }).toEqual({ line, code: 0, stderr: '' });
      if (args[0] === 'scan') afterScans.push({ previews: previews(), received: smtp.messages.length });
    }
    return afterScans;
  }

  it('shows the reminders as previews, then delivers the same reminders by email once SMTP is set, within two minutes', async () => {
    const lines = shellLines(fs.readFileSync(DOC, 'utf8'));
    expect(lines.filter((line) => line.startsWith('tokenwatch ')).length).toBeGreaterThanOrEqual(8);
    const env: Record<string, string> = {};
    const started = Date.now();
    const afterScans = await runAsWritten(lines, env);
    expect(Date.now() - started).toBeLessThan(120_000);
    // The samples cover every credential kind.
    const listed = JSON.parse((await runTokenwatch(['list', '--json'], env, dir)).stdout) as { name: string; kind: string }[];
    expect([...new Set(listed.map((token) => token.kind))].sort()).toEqual(['ade', 'apns', 'vpp']);

    // First scan: two realistic reminders in the preview folder, addressed to each token's own recipients; nothing sent.
    expect(afterScans.map((scan) => [scan.previews.length, scan.received])).toEqual([
      [2, 0],
      [2, 2],
      [2, 2],
    ]);
    const previewed = await Promise.all(
      (afterScans[0]?.previews ?? []).map(async (file) => simpleParser(fs.readFileSync(path.join(previewDir(), file)))),
    );
    const asSent = (to: string, subject: string | undefined): string => `${to}: ${subject ?? ''}`;
    const previewedMail = previewed.map((mail) => asSent(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', mail.subject)).sort();
    expect(previewedMail).toEqual([
      expect.stringMatching(/^it-high@example\.com: \[tokenwatch\] .*"Example High School" expires in 17 days/),
      expect.stringMatching(/^mdm-team@example\.com: \[tokenwatch\] .*"Example School District" expires in 45 days/),
    ]);
    // Then the same reminders by email, once each.
    expect(smtp.messages.map((mail) => asSent(mail.envelopeTo.join(), mail.subject)).sort()).toEqual(previewedMail);
    const district = smtp.messages.find((mail) => mail.subject.includes('"Example School District"'));
    expect(district?.text).toContain('"vpp-admin@example.com"');
    expect(district?.text).toContain('"Global / Example / District"');
  }, 150_000);

  it("runs the README's quick start as written: a preview first, then the same reminders by email, once", async () => {
    const lines = shellLines(readmeQuickStart());
    expect(lines.filter((line) => line.startsWith('tokenwatch scan')).length).toBe(2);
    const afterScans = await runAsWritten(lines, {});
    const [preview, delivered] = afterScans;
    expect(preview?.previews.length).toBeGreaterThan(0);
    expect(preview?.received).toBe(0);
    // The second scan sends exactly what the first one previewed: same recipients and subjects, each once.
    const previewed = await Promise.all((preview?.previews ?? []).map(async (file) => simpleParser(fs.readFileSync(path.join(previewDir(), file)))));
    const subjects = previewed.map((mail) => `${mail.to && !Array.isArray(mail.to) ? mail.to.text : ''}: ${mail.subject ?? ''}`).sort();
    expect(delivered?.received).toBe(previewed.length);
    expect(smtp.messages.map((mail) => `${mail.envelopeTo.join()}: ${mail.subject}`).sort()).toEqual(subjects);
  }, 150_000);
});
