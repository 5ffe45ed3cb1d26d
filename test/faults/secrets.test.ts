// Nothing that could renew or steal a token leaves tokenwatch: the sToken's secret, the SMTP password and the Slack
// token, the webhook URLs and signing secret appear in no output, log line, database page, message or preview file.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startFakeAppleServer } from '../support/fake-apple-vpp-server';
import { startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { runTokenwatch } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secrets', () => {
  let dir: string;
  let env: Record<string, string>;
  const outputs: string[] = [];

  beforeEach(() => {
    dir = makeTempDir();
    outputs.length = 0;
    env = {
      TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'debug',
    };
  });
  afterEach(() => removeDir(dir));

  async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const result = await runTokenwatch(args, { ...env, ...extraEnv }, dir);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  /** Greps every output and every file tokenwatch wrote (not the inputs the test gave it) for `secret`. */
  function expectNowhere(secret: string): void {
    for (const output of outputs) expect(output).not.toContain(secret);
    const inputs = (file: string): boolean => file.endsWith('.vpptoken') || file.endsWith('slack-token');
    for (const file of filesUnder(dir).filter((f) => !inputs(f))) {
      const bytes = fs.readFileSync(file);
      if (bytes.includes(Buffer.from(secret))) throw new Error(`${file} contains the secret`);
    }
  }

  it('never stores, prints, logs or sends the secret token value of an imported file', async () => {
    const secret = `sToken-${randomBytes(16).toString('hex')}`;
    const renewedSecret = `sToken-${randomBytes(16).toString('hex')}`;
    const file = path.join(dir, 'acme.vpptoken');
    fs.writeFileSync(file, makeTokenFile({ token: secret, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme Main' }));
    expect((await run(['import', file, '--apple-id', 'vpp@acme.test', '--org-group', 'Global / Acme'])).code).toBe(0);
    expect((await run(['import', file, '--name', 'Again'])).code).toBe(2); // same fingerprint: refused
    await run(['list', '--json']);
    await run(['show', 'Acme Main', '--json']);
    expect((await run(['scan', '--at', '2027-11-10T09:00'])).code).toBe(0);
    await run(['history', '--json']);
    const next = path.join(dir, 'next.vpptoken');
    fs.writeFileSync(next, makeTokenFile({ token: renewedSecret, expDate: '2028-11-24T10:15:30-0800', orgName: 'Acme Main' }));
    expect((await run(['renew', 'Acme Main', '--file', next])).code).toBe(0);
    await run(['scan', '--at', '2027-11-20T09:00', '--json']);
    await run(['doctor']);
    expect(filesUnder(env['TOKENWATCH_PREVIEW_DIR'] as string).length).toBeGreaterThan(0);
    expectNowhere(secret);
    expectNowhere(renewedSecret);
    expectNowhere(fs.readFileSync(file, 'utf8'));
  });

  it('never stores, prints or logs the secret of a token file read from the token folder by sync and doctor', async () => {
    const secret = `sToken-${randomBytes(16).toString('hex')}`;
    const folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'acme.vpptoken'), makeTokenFile({ token: secret, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme Main' }));
    // A broken file whose content holds the secret: its warning names the file, never what is in it.
    fs.writeFileSync(path.join(folder, 'broken.vpptoken'), Buffer.from(JSON.stringify({ token: secret, orgName: 'x' })).toString('base64'));
    const folderEnv = { TOKENWATCH_TOKEN_DIR: folder };
    expect((await run(['sync'], folderEnv)).code).toBe(0);
    expect((await run(['sync', '--json'], folderEnv)).code).toBe(0);
    await run(['doctor'], folderEnv);
    await run(['list', '--json'], folderEnv);
    expect(outputs.join('\n')).toContain('broken.vpptoken');
    expectNowhere(secret);
  });

  it('never stores, prints or logs the token sent to Apple\'s client/config, nor the notificationAuthToken Apple answers with', async () => {
    const apple = await startFakeAppleServer();
    try {
      const secret = `sToken-${randomBytes(16).toString('hex')}`;
      const folder = path.join(dir, 'tokens');
      fs.mkdirSync(folder);
      const content = makeTokenFile({ token: secret, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme Main' });
      fs.writeFileSync(path.join(folder, 'acme.vpptoken'), content);
      apple.addToken(content.toString('utf8'), { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
      const appleEnv = { TOKENWATCH_TOKEN_DIR: folder, TOKENWATCH_APPLE_CHECK: 'on', TOKENWATCH_APPLE_VPP_URL: apple.baseUrl };
      expect((await run(['sync', '--json'], appleEnv)).code).toBe(0);
      apple.invalidate(content.toString('utf8'));
      await run(['doctor'], appleEnv);
      apple.failNext(10);
      expect((await run(['sync'], { ...appleEnv, TOKENWATCH_SOURCE_STALE_HOURS: '1' })).code).toBe(0); // answered from the day's check
      expect(apple.requests.length).toBeGreaterThan(0);
      expect(apple.requests.every((r) => r.method === 'GET')).toBe(true);
      expectNowhere(secret);
      expectNowhere(content.toString('utf8'));
      expectNowhere('notification-auth-secret-from-apple');
    } finally {
      await apple.close();
    }
  });

  it('redacts the SMTP password and the Slack token in every line, error and stored failure; doctor shows only that they are set', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const slackToken = `xoxb-${randomBytes(12).toString('hex')}`;
    const secretEnv = {
      TOKENWATCH_SMTP_URL: `smtp://mailer:${password}@127.0.0.1:1`,
      TOKENWATCH_MAIL_TO: 'ops@example.test',
      SLACK_BOT_TOKEN: slackToken,
      TOKENWATCH_SLACK_CHANNEL: '#mdm',
      TOKENWATCH_SLACK_API_URL: 'http://127.0.0.1:1/api/',
    };
    expect((await run(['add', '--name', 'Acme', '--expires', '2027-02-01'])).code).toBe(0);
    const scan = await run(['scan', '--at', '2027-01-20T09:00'], secretEnv);
    expect(scan.code).toBe(1); // both servers are unreachable: queued for retry
    await run(['history', '--json'], secretEnv);
    const heartbeatCheck = randomBytes(16).toString('hex');
    const doctor = await run(['doctor'], { ...secretEnv, TOKENWATCH_HEARTBEAT_URL: `https://hc-ping.com/${heartbeatCheck}` });
    expect(doctor.stdout).toContain('secrets   SMTP URL set, Slack token set');
    expect(doctor.stdout).toContain('heartbeat set: a Healthchecks.io check, pinged around each daemon scan (not by doctor)');
    expectNowhere(heartbeatCheck);
    expect(doctor.code).toBe(1);
    await run(['test-notify'], secretEnv);
    expectNowhere(password);
    expectNowhere(slackToken);
  });

  it('reads the SMTP URL and the Slack token from secret files, refusing them in the config file', async () => {
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'tokenwatch.json'), JSON.stringify({ slackToken: 'xoxb-in-a-file' }));
    const refused = await run(['list']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain('xoxb-in-a-file');
    fs.rmSync(path.join(dir, 'config', 'tokenwatch.json'));
    const tokenFile = path.join(dir, 'slack-token');
    fs.writeFileSync(tokenFile, 'xoxb-from-secret-file\n');
    const doctor = await run(['doctor'], { SLACK_BOT_TOKEN_FILE: tokenFile, TOKENWATCH_SLACK_API_URL: 'http://127.0.0.1:1/api/' });
    expect(doctor.stdout).toContain('Slack token set');
    expectNowhere('xoxb-from-secret-file');
  });

  it('never stores, prints or logs a webhook URL or the signing secret, while the events reach the receiver', async () => {
    const signingSecret = `whsec-${randomBytes(16).toString('hex')}`;
    const urlToken = `hooktoken${randomBytes(8).toString('hex')}`;
    const receiver = await startFakeWebhookReceiver({ secret: signingSecret });
    try {
      const hook = { TOKENWATCH_WEBHOOK_URL: `${receiver.url}?key=${urlToken}`, TOKENWATCH_WEBHOOK_SECRET: signingSecret };
      expect((await run(['add', '--name', 'Acme', '--expires', '2027-03-01'], hook)).code).toBe(0);
      expect((await run(['scan', '--at', '2027-02-20'], hook)).code).toBe(0);
      expect((await run(['test-notify'], hook)).code).toBe(0);
      await run(['doctor'], hook);
      await run(['history', '--json'], hook);
      // A receiver that refuses (another secret) leaves an error in the outbox and fails the scan: still no secret.
      const refused = { ...hook, TOKENWATCH_WEBHOOK_SECRET: `other-${signingSecret}` };
      expect((await run(['scan', '--at', '2027-02-27'], refused)).code).toBe(1);
      await run(['history', '--json'], refused);
      expect(receiver.events().map((event) => event.body['type'])).toEqual(['token.reminder', 'test']);
      expect(receiver.rejections()).toEqual(['signature mismatch']);
    } finally {
      await receiver.close();
    }
    expectNowhere(urlToken);
    expectNowhere(signingSecret);
  });
});
