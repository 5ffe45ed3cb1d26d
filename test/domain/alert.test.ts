// Alert keys: the one text form of an alert that the ledger and the outbox store, written by alertKey, read by parseAlertKey.
import fc from 'fast-check';
import { alertKey, parseAlertKey, thresholdDays, type Alert } from '../../src/domain/alert';

/** Any alert alertKey can be asked for: thresholds from 1 day, repeats from 0, non-empty states and source names, `since` from 0. */
const anyAlert: fc.Arbitrary<Alert> = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }).map((days): Alert => ({ kind: 'threshold', days })),
  fc.integer({ min: 0, max: 100_000 }).map((daysAfter): Alert => ({ kind: 'expired', daysAfter })),
  fc.constant<Alert>({ kind: 'renewed' }),
  fc.constant<Alert>({ kind: 'test' }),
  fc.tuple(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })).map(([state, since]): Alert => ({ kind: 'invalid', state, since })),
  fc.tuple(fc.constantFrom('source-stale' as const, 'source-recovered' as const), fc.string({ minLength: 1 })).map(
    ([kind, source]): Alert => ({ kind, source }),
  ),
);

describe('alert keys', () => {
  it('are the keys the ledger has always stored for thresholds, expiry and renewal', () => {
    expect(alertKey({ kind: 'threshold', days: 30 })).toBe('t30');
    expect(alertKey({ kind: 'expired', daysAfter: 0 })).toBe('expired');
    expect(alertKey({ kind: 'expired', daysAfter: 7 })).toBe('expired+7');
    expect(alertKey({ kind: 'renewed' })).toBe('renewed');
  });

  it('read back as the alert they were written from, for every kind of alert', () => {
    fc.assert(fc.property(anyAlert, (alert) => expect(parseAlertKey(alertKey(alert))).toEqual(alert)));
  });

  it('are different for different alerts', () => {
    fc.assert(
      fc.property(anyAlert, anyAlert, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(alertKey(a)).not.toBe(alertKey(b));
      }),
    );
  });

  it('read stored keys of every kind', () => {
    expect(parseAlertKey('t60')).toEqual({ kind: 'threshold', days: 60 });
    expect(parseAlertKey('expired+14')).toEqual({ kind: 'expired', daysAfter: 14 });
    expect(parseAlertKey('invalid:revoked:1800000000000')).toEqual({ kind: 'invalid', state: 'revoked', since: 1_800_000_000_000 });
    expect(parseAlertKey('source-stale:intune')).toEqual({ kind: 'source-stale', source: 'intune' });
  });

  it('refuse text that alertKey never writes, so that no two keys stand for one alert', () => {
    for (const key of ['', 't', 't0', 't030', 't-1', 't1.5', 't 7', 'T7', 'expired+0', 'expired+07', 'expired+', 'expired-7', 'invalid:', 'invalid:revoked', 'invalid:revoked:', 'invalid::1', 'invalid:revoked:x', 'invalid:revoked:01', 'source-stale:', 'renewed ', 'other']) {
      expect(parseAlertKey(key)).toBeNull();
    }
  });

  it('give the threshold in days of a threshold alert and nothing for other alerts', () => {
    expect(thresholdDays(parseAlertKey('t30'))).toBe(30);
    expect(thresholdDays(parseAlertKey('expired+7'))).toBeNull();
    expect(thresholdDays(parseAlertKey('renewed'))).toBeNull();
    expect(thresholdDays(null)).toBeNull();
  });
});
