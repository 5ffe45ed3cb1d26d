// Signed webhooks through the CLI, configured as an administrator does (TOKENWATCH_WEBHOOK_URL / _SECRET), against a
// local receiver that verifies every signature (test/support/fake-webhook-receiver.ts): the events for a reminder, a
// digest, a renewal, source alerts and a test; the delivery id a retry keeps; 410, a wrong secret and a stale
// timestamp failing for good; doctor checking the URL without calling it.
import type { HistoryJsonRow } from '../../src/cli/commands/history';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { cliHarness, type CliHarness } from '../support/cli';
import { RECEIVER_SECRET, startFakeWebhookReceiver, type FakeWebhookReceiver, type ReceivedEvent } from '../support/fake-webhook-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';


describe('signed webhooks through the CLI', () => {
  let dir: string;
  let receiver: FakeWebhookReceiver;
  let cli: CliHarness;

  /** A receiver whose clock is the CLI's (the harness runs the CLI at a fixed instant), `skewSeconds` apart. */
  async function start(options: { secret?: string; skewSeconds?: number } = {}): Promise<void> {
    receiver = await startFakeWebhookReceiver({
      ...(options.secret === undefined ? {} : { secret: options.secret }),
      nowSeconds: () => Math.floor(cli.now.toSeconds()) + (options.skewSeconds ?? 0),
    });
    cli.env['TOKENWATCH_WEBHOOK_URL'] = receiver.url;
  }

  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir, { TOKENWATCH_WEBHOOK_SECRET: RECEIVER_SECRET });
  });
  afterEach(async () => {
    await receiver.close();
    removeDir(dir);
  });

  async function history(): Promise<HistoryJsonRow[]> {
    const result = await cli.run('history', '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as HistoryJsonRow[];
  }

  /** A token 30 calendar days before its expiry at the harness's clock (2027-01-01 10:00 Paris). */
  async function addAcme(name = 'Acme Main', expires = '2027-01-31'): Promise<void> {
    const added = await cli.run('add', '--name', name, '--expires', expires, '--apple-id', 'vpp@acme.test', '--org-group', 'Global / Acme', '--mdm', 'jamf');
    expect(added).toMatchObject({ code: 0, stderr: '' });
  }

  /** The example event of `type` in docs/channels.md (its ```json blocks), so that the documentation follows the code. */
  function documentedEvent(type: string): unknown {
    const docs = fs.readFileSync(path.join(__dirname, '../../docs/channels.md'), 'utf8');
    const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] ?? '') as Record<string, unknown>);
    const example = examples.find((candidate) => candidate['type'] === type);
    if (example === undefined) throw new Error(`docs/channels.md has no example of a ${type} event`);
    return example;
  }

  /** The field names of a JSON value, nested (an array by its first element), its values left out. */
  function fieldsOf(value: unknown): unknown {
    if (Array.isArray(value)) return value.length === 0 ? [] : [fieldsOf(value[0])];
    if (value === null || typeof value !== 'object') return typeof value === 'string' || value === null ? 'string-or-null' : typeof value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, inner]) => [key, fieldsOf(inner)]));
  }

  const only = (): ReceivedEvent => {
    expect(receiver.events()).toHaveLength(1);
    return receiver.events()[0] as ReceivedEvent;
  };

  it('sends a due reminder as a signed token.reminder event with the documented fields', async () => {
    await start();
    await addAcme();
    const scan = await cli.run('scan');
    expect(scan).toMatchObject({ code: 0, stderr: '' });
    expect(scan.stdout).toMatch(/1 sent, 0 to retry, 0 failed\.$/);
    expect(receiver.rejections()).toEqual([]);

    const event = only();
    expect(event.request.headers['tokenwatch-event']).toBe('token.reminder');
    expect(event.request.headers['tokenwatch-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(event.body).toMatchObject({
      id: expect.stringMatching(/^dlv_[0-9a-f]{32}$/),
      type: 'token.reminder',
      version: 1,
      subject: '[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-31)',
      alert: { key: 't30', kind: 'threshold', days: 30 },
      daysLeft: 30,
      expiresAt: DateTime.fromISO('2027-01-31', { zone: 'Europe/Paris' }).toUTC().toISO(),
      urgency: 'act',
      token: { name: 'Acme Main', kind: 'vpp', organization: null, appleId: 'vpp@acme.test', orgGroup: 'Global / Acme', mdm: 'jamf', topic: null },
    });
    expect(event.body['id']).toBe(event.deliveryId);
    const steps = event.body['steps'] as string[];
    expect(steps.length).toBeGreaterThan(1);
    expect(steps[0]).toMatch(/^Download a new content token from Apple\n/);
    expect(steps.join('\n')).toContain('Jamf Pro');
    // Steps are plain text: no Slack or HTML markup.
    expect(steps.join('\n')).not.toMatch(/<[a-z]|\*\*/);
    expect(event.body['text']).toContain('Acme Main');
    expect((await history()).map((row) => [row.channel, row.recipient, row.status])).toEqual([['webhook', 'default', 'sent']]);
    // The example in docs/channels.md has exactly the fields of the real event.
    expect(fieldsOf(documentedEvent('token.reminder'))).toEqual(fieldsOf(event.body));
  });

  it('keeps the delivery id of a reminder across its retries, so that the receiver can drop the copies', async () => {
    await start();
    await addAcme();
    // Three 503s: the first attempt and its two quick retries; the outbox retries later.
    receiver.server.script({ status: 503, body: { error: 'busy' } }, { status: 503, body: { error: 'busy' } }, { status: 503, body: { error: 'busy' } });
    expect((await cli.run('scan')).stdout).toMatch(/0 sent, 1 to retry, 0 failed\.$/);
    expect(receiver.events()).toHaveLength(0);
    cli.now = cli.now.plus({ minutes: 5 });
    expect((await cli.run('scan')).stdout).toMatch(/1 sent, 0 to retry, 0 failed\.$/);

    const ids = new Set(receiver.server.requests.map((request) => request.headers['tokenwatch-delivery']));
    expect(receiver.server.requests).toHaveLength(4);
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(only().deliveryId);
    // Each attempt is signed afresh: the later one carries the later timestamp.
    const stamps = receiver.server.requests.map((request) => /^t=(\d+),/.exec(String(request.headers['tokenwatch-signature']))?.[1]);
    expect(Number(stamps[3]) - Number(stamps[0])).toBeGreaterThanOrEqual(300);
  });

  it('fails a delivery for good when the receiver answers 410 Gone, with its reason', async () => {
    await start();
    await addAcme();
    receiver.server.script({ status: 410, body: { error: 'this endpoint was removed' } });
    expect((await cli.run('scan')).stdout).toMatch(/0 sent, 0 to retry, 1 failed\.$/);
    const [row] = await history();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.error).toMatch(/webhook "default" answered HTTP 410: .*this endpoint was removed/);
  });

  it('is refused by a receiver holding another secret, and the delivery fails for good', async () => {
    await start({ secret: 'another-secret-0123456789' });
    await addAcme();
    expect((await cli.run('scan')).stdout).toMatch(/0 sent, 0 to retry, 1 failed\.$/);
    expect(receiver.events()).toEqual([]);
    expect(receiver.rejections()).toEqual(['signature mismatch']);
    expect((await history())[0]?.error).toMatch(/answered HTTP 400: .*signature mismatch/);
  });

  it('is refused by a receiver whose clock is more than five minutes away from the signature timestamp', async () => {
    await start({ skewSeconds: 301 });
    await addAcme();
    await cli.run('scan');
    expect(receiver.events()).toEqual([]);
    expect(receiver.rejections()).toEqual(['timestamp outside the tolerance']);
  });

  it('sends a digest as one event listing each reminder with its own delivery id', async () => {
    await start();
    cli.env['TOKENWATCH_DIGEST_MIN'] = '2';
    await addAcme('Acme One', '2027-01-31');
    await addAcme('Acme Two', '2027-01-31');
    await addAcme('Acme Three', '2026-12-30');
    expect((await cli.run('scan')).stdout).toMatch(/3 sent, 0 to retry, 0 failed\.$/);
    const event = only();
    expect(event.body).toMatchObject({ type: 'digest', version: 1, id: expect.stringMatching(/^dig_[0-9a-f]{32}$/), part: { index: 1, count: 1 } });
    const reminders = event.body['reminders'] as Record<string, unknown>[];
    expect(reminders.map((reminder) => [(reminder['token'] as { name: string }).name, reminder['type'], (reminder['alert'] as { key: string }).key])).toEqual(
      expect.arrayContaining([
        ['Acme One', 'token.reminder', 't30'],
        ['Acme Two', 'token.reminder', 't30'],
        ['Acme Three', 'token.reminder', 'expired'],
      ]),
    );
    const ids = reminders.map((reminder) => reminder['id']);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^dlv_[0-9a-f]{32}$/);
  });

  it('sends the renewal confirmation as a token.renewed event with the new expiry', async () => {
    await start();
    await addAcme();
    await cli.run('scan');
    expect((await cli.run('renew', 'Acme Main', '--expires', '2028-01-31')).code).toBe(0);
    await cli.run('scan');
    const renewed = receiver.events().find((event) => event.body['type'] === 'token.renewed');
    expect(renewed?.body).toMatchObject({
      alert: { key: 'renewed', kind: 'renewed' },
      expiresAt: DateTime.fromISO('2028-01-31', { zone: 'Europe/Paris' }).toUTC().toISO(),
      token: { name: 'Acme Main' },
      urgency: null,
      steps: [],
    });
    expect(renewed?.deliveryId).not.toBe(receiver.events()[0]?.deliveryId);
  });

  it('sends a source that cannot be read as source.stale, and its recovery as source.recovered', async () => {
    await start();
    const folder = path.join(dir, 'tokens');
    cli.env['TOKENWATCH_TOKEN_DIR'] = folder;
    const start0 = cli.now;
    const at = (hours: number) => {
      cli.now = start0.plus({ hours });
      return cli.run('sync');
    };
    await at(0);
    expect((await at(49)).stdout).toContain('alert queued: source-stale:folder');
    fs.mkdirSync(folder);
    expect((await at(51)).stdout).toContain('alert queued: source-recovered:folder');
    const [stale, recovered] = receiver.events();
    expect(stale?.body).toMatchObject({ type: 'source.stale', alert: { key: 'source-stale:folder', kind: 'source-stale', source: 'folder' }, source: 'folder', since: start0.toUTC().toISO() });
    expect(String(stale?.body['text'])).toContain('cannot read folder');
    expect(fieldsOf(documentedEvent('source.stale'))).toEqual(fieldsOf(stale?.body));
    expect(recovered?.body).toMatchObject({ type: 'source.recovered', source: 'folder', since: start0.toUTC().toISO() });
    expect(stale?.deliveryId).not.toBe(recovered?.deliveryId);
  });

  it('test-notify sends a test event, with a new delivery id each time', async () => {
    await start();
    for (let run = 0; run < 2; run += 1) expect(await cli.run('test-notify')).toMatchObject({ code: 0, stdout: 'webhook default: ok' });
    expect(receiver.events().map((event) => event.body['type'])).toEqual(['test', 'test']);
  });

  it('doctor checks each webhook address and the secret without sending anything', async () => {
    await start();
    expect((await cli.run('doctor')).stdout).toMatch(/^webhook {3}ok {2}default: https and a signing secret set/m);
    cli.env['TOKENWATCH_WEBHOOKS'] = 'siem=http://siem.example.test/hooks';
    const doctor = await cli.run('doctor');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^webhook {3}failed {2}webhook "siem": not an https URL/m);
    expect(receiver.server.requests).toHaveLength(0);
  });
});
