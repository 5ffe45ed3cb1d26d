// Covers the alerts sources raise through the ledger, outbox and a real SMTP server: "invalid before its date" once
// per occurrence, and "cannot read <source>" once after the stale period and once on recovery.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { deliverDue } from '../../src/engine/deliver';
import type { Source, SourceReading, SourcedCredential, SourcedState } from '../../src/sources/source';
import { syncSources, type SyncDeps } from '../../src/sources/sync';
import { SourceLinks } from '../../src/store/source-links';
import { SourceStatusStore } from '../../src/store/source-status';
import { cliHarness, type CliHarness } from '../support/cli';
import { testChannels } from '../support/channels';
import { openEngine, type TestEngine } from '../support/engine';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

/** A source whose answer the test sets: an edge like a local server, not one of our modules. */
function scriptedSource(name: string): Source & { answer: SourceReading | Error } {
  const source = {
    name,
    answer: { credentials: [], warnings: [] } as SourceReading | Error,
    async read(): Promise<SourceReading> {
      if (source.answer instanceof Error) throw source.answer;
      return source.answer;
    },
    async check(): Promise<string> {
      return 'scripted';
    },
  };
  return source;
}

function credential(state: SourcedState, expDate = '2027-11-24T10:00:00Z', fields: Partial<SourcedCredential> = {}): SourcedCredential {
  return {
    sourceId: 'loc-1',
    kind: 'vpp',
    name: 'Acme Main',
    expiresAt: DateTime.fromISO(expDate, { zone: 'utc' }),
    state,
    appleId: null,
    mdm: null,
    facts: { orgName: 'Acme Main', locationName: 'Acme HQ', detail: state === 'valid' ? undefined : 'Invalid authentication token' } as SourcedCredential['facts'],
    ...fields,
  };
}

describe('"invalid before its date"', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let engine: TestEngine;
  let source: ReturnType<typeof scriptedSource>;
  let deps: SyncDeps;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    engine = openEngine(dir, testChannels(smtp), { mailTo: ['admins@example.test'] });
    source = scriptedSource('apple');
    deps = {
      sources: [source],
      tokens: engine.tokens,
      links: new SourceLinks(engine.db),
      status: new SourceStatusStore(engine.db),
      outbox: engine.outbox,
      clock: engine.clock,
      logger: engine.logger,
      settings: { zone: 'Europe/Paris', staleHours: 48, routing: engine.deps.settings.routing, enabled: engine.deps.settings.enabled, secrets: [], defaultMdm: 'workspace-one' },
    };
  });
  afterEach(async () => {
    engine.close();
    for (const channel of engine.deps.channels.values()) await channel.close();
    await smtp.close();
    removeDir(dir);
  });

  async function syncAndSend(): Promise<string[]> {
    const report = await syncSources(deps);
    await deliverDue(engine.deps);
    return report.sources.flatMap((s) => s.alerts);
  }

  it('is sent once per occurrence: again only after the token was valid in between', async () => {
    source.answer = { credentials: [credential('valid')], warnings: [] };
    expect(await syncAndSend()).toEqual([]);

    engine.clock.advance({ hours: 1 });
    source.answer = { credentials: [credential('invalid')], warnings: [] };
    expect(await syncAndSend()).toHaveLength(1);
    engine.clock.advance({ hours: 1 });
    expect(await syncAndSend()).toEqual([]);
    expect(smtp.messages).toHaveLength(1);

    engine.clock.advance({ hours: 1 });
    source.answer = { credentials: [credential('valid')], warnings: [] };
    expect(await syncAndSend()).toEqual([]);
    engine.clock.advance({ hours: 1 });
    source.answer = { credentials: [credential('revoked')], warnings: [] };
    expect(await syncAndSend()).toHaveLength(1);
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      '[tokenwatch] INVALID: VPP token "Acme Main" is invalid before its date (2027-11-24)',
      '[tokenwatch] INVALID: VPP token "Acme Main" is revoked before its date (2027-11-24)',
    ]);
  });

  it('says what the state means, what to do, and what the source said', async () => {
    source.answer = { credentials: [credential('invalid')], warnings: [] };
    await syncAndSend();
    const [mail] = smtp.messages;
    expect(mail?.envelopeTo).toEqual(['admins@example.test']);
    expect(mail?.text).toContain('What it means: The token no longer works: Apple rejects it.');
    expect(mail?.text).toContain('What to do: Download a new token from Apple Business Manager');
    expect(mail?.text).toContain('The source said: Invalid authentication token');
    expect(mail?.text).toContain('Location: Acme HQ');
    expect(mail?.text).toContain('State: invalid, reported by apple since Friday 1 January 2027, 09:00 CET (Europe/Paris)');
  });

  it('survives a restart: a new process does not send the same occurrence again', async () => {
    source.answer = { credentials: [credential('invalid')], warnings: [] };
    await syncAndSend();
    engine.close();
    engine = openEngine(dir, engine.deps.channels, { mailTo: ['admins@example.test'], start: '2027-01-02T09:00' });
    deps = { ...deps, tokens: engine.tokens, links: new SourceLinks(engine.db), status: new SourceStatusStore(engine.db), outbox: engine.outbox, clock: engine.clock };
    expect(await syncAndSend()).toEqual([]);
    expect(smtp.messages).toHaveLength(1);
  });

  it('is not raised by an older credential the token has moved past', async () => {
    source.answer = { credentials: [credential('valid', '2028-11-24T10:00:00Z', { sourceId: 'new' })], warnings: [] };
    await syncAndSend();
    source.answer = {
      credentials: [credential('valid', '2028-11-24T10:00:00Z', { sourceId: 'new' }), credential('invalid', '2027-11-24T10:00:00Z', { sourceId: 'old' })],
      warnings: [],
    };
    const report = await syncSources(deps);
    expect(report.sources[0]?.alerts).toEqual([]);
    expect(report.sources[0]?.changes.map((c) => c.kind)).toContain('earlier');
  });

  it('with no recipient anywhere, is recorded once as unrouted, like a reminder, and goes out once routed', async () => {
    deps = { ...deps, settings: { ...deps.settings, routing: { mailTo: [], slackChannel: null } } };
    source.answer = { credentials: [credential('valid')], warnings: [] };
    await syncAndSend();
    engine.clock.advance({ hours: 1 });
    source.answer = { credentials: [credential('revoked')], warnings: [] };
    expect(await syncAndSend()).toHaveLength(1);
    engine.clock.advance({ hours: 1 });
    expect(await syncAndSend()).toEqual([]);
    const unrouted = engine.outbox.unroutedFailures();
    expect(unrouted).toEqual([expect.objectContaining({ tokenName: 'Acme Main', alert: expect.stringMatching(/^invalid:revoked:/), lastError: expect.stringContaining('no recipient') })]);
    expect(smtp.messages).toEqual([]);

    engine.outbox.reroute(unrouted[0]!, [{ channel: 'email', recipient: 'admins@example.test' }], engine.clock.now());
    await deliverDue(engine.deps);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['[tokenwatch] INVALID: VPP token "Acme Main" is revoked before its date (2027-11-24)']);
  });

  it('fills an Apple ID that was never recorded, and never overwrites one', async () => {
    source.answer = { credentials: [credential('valid', '2027-11-24T10:00:00Z', { appleId: 'vpp@acme.test' })], warnings: [] };
    await syncSources(deps);
    expect(engine.tokens.getByName('Acme Main').appleId).toBe('vpp@acme.test');
    engine.tokens.edit('Acme Main', { appleId: 'owner@acme.test', email: ['team@acme.test'] }, engine.clock.now());
    source.answer = { credentials: [credential('valid', '2027-11-24T10:00:00Z', { appleId: 'other@acme.test' })], warnings: [] };
    await syncSources(deps);
    expect(engine.tokens.getByName('Acme Main')).toMatchObject({ appleId: 'owner@acme.test', email: ['team@acme.test'] });
  });

  it('does not stop the other sources when one fails', async () => {
    const failing = scriptedSource('broken');
    failing.answer = new Error('connect ECONNREFUSED 127.0.0.1:9');
    source.answer = { credentials: [credential('valid')], warnings: [] };
    const report = await syncSources({ ...deps, sources: [failing, source] });
    expect(report.sources.map((s) => [s.source, s.isOk, s.error])).toEqual([
      ['broken', false, 'connect ECONNREFUSED 127.0.0.1:9'],
      ['apple', true, null],
    ]);
    expect(engine.tokens.findByName('Acme Main')).not.toBeNull();
  });
});

describe('"tokenwatch cannot read <source>"', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let cli: CliHarness;
  let folder: string;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    folder = path.join(dir, 'tokens');
    cli = cliHarness(dir, { TOKENWATCH_TOKEN_DIR: folder, TOKENWATCH_SMTP_URL: smtp.url, TOKENWATCH_MAIL_TO: 'admins@example.test' });
    cli.now = DateTime.fromISO('2027-01-01T10:00', { zone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await smtp.close();
    removeDir(dir);
  });

  const at = async (hours: number) => {
    cli.now = DateTime.fromISO('2027-01-01T10:00', { zone: 'Europe/Paris' }).plus({ hours });
    return cli.run('sync');
  };

  it('goes out once after TOKENWATCH_SOURCE_STALE_HOURS of failure, and once when the source works again', async () => {
    expect((await at(0)).code).toBe(1);
    expect((await at(47)).stdout).not.toContain('alert queued');
    const stale = await at(49);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('folder: alert queued: source-stale:folder');
    expect(await at(50)).toMatchObject({ code: 1 });
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^\[tokenwatch\] tokenwatch cannot read folder since 2027-01-01 10:00 .*: token folder .*tokens: cannot read \(ENOENT/),
    ]);

    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.vpptoken'), makeTokenFile({ token: 'secret-of-a-file', expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme' }));
    const recovered = await at(51);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toContain('folder: alert queued: source-recovered:folder');
    expect((await at(52)).stdout).not.toContain('alert queued');
    expect(smtp.messages.map((m) => m.subject)).toHaveLength(2);
    expect(smtp.messages[1]?.subject).toMatch(/^\[tokenwatch\] tokenwatch reads folder again \(it failed from 2027-01-01 10:00/);
  });

  it('is never sent for a failure shorter than the stale period, nor its recovery', async () => {
    cli.env['TOKENWATCH_SOURCE_STALE_HOURS'] = '6';
    expect((await at(0)).code).toBe(1);
    expect((await at(5)).code).toBe(1);
    fs.mkdirSync(folder);
    expect((await at(5.5)).code).toBe(0);
    expect(smtp.messages).toHaveLength(0);
    // A new failure run starts its own clock.
    fs.rmdirSync(folder);
    expect((await at(8)).stdout).not.toContain('alert queued');
    expect((await at(14)).stdout).toContain('alert queued: source-stale:folder');
    expect(smtp.messages).toHaveLength(1);
  });
});
