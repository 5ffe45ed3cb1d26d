// The token repository on a real SQLite file: adding, listing, editing, renewing and removing tokens, with history kept.
import path from 'node:path';
import { DateTime } from 'luxon';
import type { TokenInput } from '../../src/domain/token';
import { InputError } from '../../src/errors';
import { openDatabase, type Db } from '../../src/store/database';
import { DUE_CANDIDATES_SQL, TokenRepository } from '../../src/store/token-repository';
import { tokenInput } from '../support/engine';
import { makeTempDir, removeDir } from '../support/temp-dir';

const at = DateTime.fromISO('2027-01-01T09:00:00Z', { zone: 'utc' });

const input = (name: string, overrides: Partial<TokenInput> = {}): TokenInput =>
  tokenInput(name, '2027-06-01T10:00:00Z', overrides, 'utc');

describe('the token repository', () => {
  let dir: string;
  let db: Db;
  let tokens: TokenRepository;
  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'tokenwatch.db'));
    tokens = new TokenRepository(db);
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('keeps every field of an added token', () => {
    tokens.add(
      input('Acme', {
        appleId: 'vpp@acme.test',
        orgGroup: 'Global / Acme',
        email: ['a@acme.test', 'b@acme.test'],
        slackChannel: '#mdm',
        thresholds: [90, 14],
        notes: 'main store',
        fingerprint: 'ab'.repeat(32),
      }),
      at,
    );
    const token = tokens.getByName('Acme');
    expect(token).toMatchObject({
      name: 'Acme',
      kind: 'vpp',
      orgName: 'Acme Org',
      appleId: 'vpp@acme.test',
      orgGroup: 'Global / Acme',
      email: ['a@acme.test', 'b@acme.test'],
      slackChannel: '#mdm',
      thresholds: [90, 14],
      notes: 'main store',
      fingerprint: 'ab'.repeat(32),
      mutedAt: null,
      renewalPending: false,
    });
    expect(token.expiresAt.toISO()).toBe('2027-06-01T10:00:00.000Z');
  });

  it('rejects a second token with the same name and leaves the first as it was', () => {
    tokens.add(input('Acme'), at);
    expect(() => tokens.add(input('Acme', { notes: 'other' }), at)).toThrow(InputError);
    expect(tokens.list()).toHaveLength(1);
    expect(tokens.getByName('Acme').notes).toBeNull();
  });

  it('rejects a token file that is already registered under another name', () => {
    tokens.add(input('Acme', { fingerprint: 'f'.repeat(64) }), at);
    expect(() => tokens.add(input('Other', { fingerprint: 'f'.repeat(64) }), at)).toThrow(/already registered as "Acme"/);
  });

  it('adds many tokens all or none', () => {
    tokens.add(input('Taken'), at);
    expect(() => tokens.addMany([input('New 1'), input('New 2'), input('Taken')], at)).toThrow(/entry 3/);
    expect(tokens.list().map((t) => t.name)).toEqual(['Taken']);
  });

  it('returns from addMany each token exactly as the registry reads it back', () => {
    const added = tokens.addMany(
      [
        input('Plain'),
        input('Full', {
          appleId: 'vpp@acme.test',
          orgGroup: 'Global / Acme',
          email: ['a@acme.test'],
          slackChannel: '#mdm',
          thresholds: [90, 14],
          notes: 'n',
          fingerprint: 'cd'.repeat(32),
          expiresAt: DateTime.fromISO('2027-06-01T12:00:00+02:00', { setZone: true }),
        }),
      ],
      at,
    );
    expect(added).toEqual([tokens.getByName('Plain'), tokens.getByName('Full')]);
    expect(added[1]?.expiresAt.zoneName).toBe('UTC');
  });

  it('counts what addManyCounted adds, all or none, naming the entry whose name is taken', () => {
    tokens.add(input('Taken'), at);
    expect(() => tokens.addManyCounted([input('New 1'), input('Taken')], at)).toThrow(/token "Taken" \(entry 2\): a token with this name is already registered/);
    expect(() => tokens.addManyCounted([input('New 1'), input('New 1')], at)).toThrow(/token "New 1" \(entry 2\)/);
    expect(tokens.list().map((t) => t.name)).toEqual(['Taken']);
    expect(tokens.history().map((h) => h.tokenName)).toEqual(['Taken']);
    expect(tokens.addManyCounted([input('New 1'), input('New 2')], at)).toBe(2);
    expect(tokens.list().map((t) => t.name).sort()).toEqual(['New 1', 'New 2', 'Taken']);
  });

  it('names the token a file is registered as when a bulk add repeats its fingerprint', () => {
    tokens.add(input('Acme', { fingerprint: 'e'.repeat(64) }), at);
    expect(() => tokens.addManyCounted([input('Other'), input('Copy', { fingerprint: 'e'.repeat(64) })], at)).toThrow(
      /token file \(entry 2\): already registered as "Acme"/,
    );
    expect(tokens.count()).toBe(1);
  });

  it('adds nothing and records no history for an empty list', () => {
    tokens.add(input('Acme'), at);
    expect(tokens.addMany([], at)).toEqual([]);
    expect(tokens.addManyCounted([], at)).toBe(0);
    expect(tokens.history().map((h) => h.action)).toEqual(['added']);
  });

  it('records a bulk-added token in history with the same details, in the same order, as its removal records', () => {
    const full = input('Full', {
      kind: 'apns',
      orgName: null,
      expiresAt: DateTime.fromISO('2027-06-01T12:34:56.789+02:00', { setZone: true }),
      downloadedAt: DateTime.fromISO('2026-06-01T08:00:00.001Z'),
      appleId: 'vpp@acme.test',
      orgGroup: 'Global / "Acme" \\ é',
      email: ['a@acme.test', 'b@acme.test'],
      slackChannel: '#mdm',
      teams: 'ops',
      escalateEmail: ['boss@acme.test'],
      escalateSlack: ['#escalate', 'U123ABC'],
      escalateTeams: ['managers'],
      slackMentions: ['S0123'],
      thresholds: [90, 14, 1],
      notes: 'line one\nline two\t"quoted" 😀',
      fingerprint: 'cd'.repeat(32),
      mdm: 'jamf',
      topic: 'com.apple.mgmt.External.abc',
      consoleUrl: 'https://mdm.acme.test/tokens/1',
    });
    tokens.addManyCounted([input('Plain'), full], at);
    tokens.remove('Plain', at);
    tokens.remove('Full', at);
    for (const name of ['Plain', 'Full']) {
      const [added, removed] = tokens.history(name);
      expect(added?.action).toBe('added');
      expect(removed?.action).toBe('removed');
      expect(JSON.stringify(added?.details)).toBe(JSON.stringify(removed?.details));
    }
    expect(tokens.history('Full')[0]?.details).toMatchObject({ expiresAt: '2027-06-01T10:34:56.789Z', thresholds: [90, 14, 1] });
  });

  it('records the history of an expiry past the year 9999 in UTC as luxon writes it', () => {
    // A download on 9998-12-31 in a zone west of UTC expires in the year 10000 UTC, where SQLite's dates stop.
    tokens.addManyCounted([input('Far', { expiresAt: DateTime.utc(9999, 12, 31, 23).plus({ hours: 6 }) })], at);
    expect(tokens.history('Far')[0]?.details).toMatchObject({ expiresAt: '+010000-01-01T05:00:00.000Z' });
    tokens.remove('Far', at);
    const [added, removed] = tokens.history('Far');
    expect(JSON.stringify(added?.details)).toBe(JSON.stringify(removed?.details));
  });

  it('names an unknown token in its error', () => {
    expect(() => tokens.getByName('Nope')).toThrow('unknown token "Nope"');
  });

  it('lists tokens soonest expiry first', () => {
    tokens.add(input('Late', { expiresAt: at.plus({ days: 300 }) }), at);
    tokens.add(input('Soon', { expiresAt: at.plus({ days: 3 }) }), at);
    expect(tokens.list().map((t) => t.name)).toEqual(['Soon', 'Late']);
  });

  it('keeps each change as history, even after the token is removed', () => {
    tokens.add(input('Acme'), at);
    tokens.edit('Acme', { orgGroup: 'Global / Acme' }, at.plus({ hours: 1 }));
    tokens.renew('Acme', { expiresAt: at.plus({ years: 1 }) }, at.plus({ hours: 2 }));
    tokens.mute('Acme', null, at.plus({ hours: 3 }));
    tokens.unmute('Acme', at.plus({ hours: 4 }));
    tokens.remove('Acme', at.plus({ hours: 5 }));
    expect(tokens.history('Acme').map((h) => h.action)).toEqual(['added', 'edited', 'renewed', 'muted', 'unmuted', 'removed']);
    expect(tokens.findByName('Acme')).toBeNull();
  });

  it('finds the history of a renamed token by its old name', () => {
    tokens.add(input('Old'), at);
    tokens.edit('Old', { name: 'New' }, at);
    expect(tokens.history('Old').map((h) => h.action)).toEqual(['added', 'edited']);
    expect(tokens.history('New').map((h) => h.action)).toEqual(['added', 'edited']);
  });

  it('marks a renewed token as waiting for its confirmation', () => {
    tokens.add(input('Acme'), at);
    const renewed = tokens.renew('Acme', { expiresAt: at.plus({ years: 1 }) }, at);
    expect(renewed.renewalPending).toBe(true);
    tokens.clearRenewalPending(renewed.id);
    expect(tokens.getByName('Acme').renewalPending).toBe(false);
  });

  it('returns as due candidates only tokens within the horizon, tokens whose own window began, and pending renewals', () => {
    tokens.add(input('In 10 days', { expiresAt: at.plus({ days: 10 }) }), at);
    tokens.add(input('In 200 days', { expiresAt: at.plus({ days: 200 }) }), at);
    tokens.add(input('Own 365 in 200 days', { expiresAt: at.plus({ days: 200 }), thresholds: [365] }), at);
    tokens.add(input('Own 7 in 20 days', { expiresAt: at.plus({ days: 20 }), thresholds: [7] }), at);
    tokens.add(input('Expired', { expiresAt: at.minus({ days: 400 }) }), at);
    tokens.add(input('Renewed', { expiresAt: at.plus({ days: 300 }) }), at);
    tokens.renew('Renewed', { expiresAt: at.plus({ days: 365 }) }, at);
    const names = tokens.dueCandidates(at, at.plus({ days: 61 })).map((t) => t.name).sort();
    expect(names).toEqual(['Expired', 'In 10 days', 'Own 365 in 200 days', 'Renewed']);
  });

  it('answers due candidates through indexes, not a scan of the whole table', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${DUE_CANDIDATES_SQL}`).all({ horizon: 0, now: 0 }) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/tokens_global_due/);
    expect(details).toMatch(/tokens_own_due/);
    expect(details).not.toMatch(/SCAN tokens(?! USING)/);
  });
});
