// The next reminder of a token, consistent with whatIsDue, and the state boundaries used to count tokens in SQL.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { alertKey } from '../../src/domain/alert';
import { whatIsDue, type DueDecision, type DuePolicy } from '../../src/domain/due-reminders';
import { nextReminder } from '../../src/domain/next-reminder';
import { stateBoundaries, tokenState } from '../../src/domain/token-state';

const policy: DuePolicy = { zone: 'Europe/Paris', thresholds: [60, 30, 7], expiredRepeatDays: 7 };
const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toUTC();
const token = (expires: string, extra: Partial<{ thresholds: number[]; mutedAt: DateTime; mutedUntil: DateTime }> = {}) => ({
  expiresAt: at(expires),
  thresholds: extra.thresholds ?? null,
  mutedAt: extra.mutedAt ?? null,
  mutedUntil: extra.mutedUntil ?? null,
});
/** The key of the alert a decision sends, as nextReminder names it. */
const sentKey = (decision: DueDecision): string | undefined => (decision.send === null ? undefined : alertKey(decision.send));
const local = (d: DateTime | undefined): string | undefined => d?.setZone('Europe/Paris').toISO({ suppressMilliseconds: true }) ?? undefined;

describe('the next reminder of a token', () => {
  it('is the next threshold from the start of the day it comes due', () => {
    const next = nextReminder(token('2027-06-15T10:00'), new Set(), at('2027-01-01T09:00'), policy);
    expect(next).toMatchObject({ alert: 't60', isDueNow: false });
    expect(local(next?.dueAt)).toBe('2027-04-16T00:00:00+02:00');
    const after60 = nextReminder(token('2027-06-15T10:00'), new Set(['t60']), at('2027-04-20T09:00'), policy);
    expect(after60?.alert).toBe('t30');
    expect(local(after60?.dueAt)).toBe('2027-05-16T00:00:00+02:00');
  });

  it('is due now when a threshold has come and was not sent, as the next scan will send it', () => {
    const next = nextReminder(token('2027-01-20T10:00'), new Set(['t60']), at('2027-01-10T09:00'), policy);
    expect(next).toEqual({ alert: 't30', dueAt: at('2027-01-10T09:00'), isDueNow: true });
  });

  it('is the expiry alert after the last threshold, then the weekly repeats at the expiry time of day', () => {
    expect(nextReminder(token('2027-01-20T10:00'), new Set(['t60', 't30', 't7']), at('2027-01-19T09:00'), policy)).toMatchObject({
      alert: 'expired',
      dueAt: at('2027-01-20T10:00'),
    });
    const repeat = nextReminder(token('2027-01-20T10:00'), new Set(['expired']), at('2027-01-22T09:00'), policy);
    expect(repeat).toMatchObject({ alert: 'expired+7', dueAt: at('2027-01-27T10:00') });
    expect(nextReminder(token('2027-01-20T10:00'), new Set(['expired']), at('2027-01-22T09:00'), { ...policy, expiredRepeatDays: 0 })).toBeNull();
  });

  it('is none while the token is muted', () => {
    expect(nextReminder(token('2027-01-20T10:00', { mutedAt: at('2027-01-01T00:00') }), new Set(), at('2027-01-10T09:00'), policy)).toBeNull();
  });

  it('comes due exactly at its dueAt according to whatIsDue', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 }), fc.integer({ min: 0, max: 200 * 24 }), (expiresInHours, nowOffsetHours) => {
        const now = at('2027-01-01T00:00').plus({ hours: nowOffsetHours });
        const t = { ...token('2027-01-01T00:00'), expiresAt: at('2027-01-01T00:00').plus({ hours: expiresInHours }) };
        const next = nextReminder(t, new Set(), now, policy);
        if (next === null || next.isDueNow) return;
        expect(sentKey(whatIsDue(t, new Set(), next.dueAt.minus({ seconds: 1 }), policy))).not.toBe(next.alert);
        expect(sentKey(whatIsDue(t, new Set(), next.dueAt, policy))).toBe(next.alert);
      }),
    );
  });
});

describe('state boundaries for counting tokens per state in SQL', () => {
  it('agree with tokenState for any expiry, instant, zone and thresholds', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(
        fc.integer({ min: -100 * 24 * 60, max: 400 * 24 * 60 }),
        fc.integer({ min: 0, max: 730 * 24 * 60 }),
        fc.constantFrom(...zones),
        fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 4 }),
        (expiresInMinutes, nowMinutes, zone, thresholds) => {
          const now = DateTime.fromISO('2027-01-01T00:00:00Z').plus({ minutes: nowMinutes });
          const expiresAt = now.plus({ minutes: expiresInMinutes });
          const { criticalBefore, warningBefore } = stateBoundaries(now, zone, thresholds);
          const bySql = expiresAt <= now ? 'expired' : expiresAt < criticalBefore ? 'critical' : expiresAt < warningBefore ? 'warning' : 'ok';
          expect(bySql).toBe(tokenState(expiresAt, now, zone, thresholds));
        },
      ),
    );
  });
});
