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
