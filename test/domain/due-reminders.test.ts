// whatIsDue: which alert is due for a token at an instant given what was already decided, and thresholdOf.
import { DateTime } from 'luxon';
import { alertKey, type Alert } from '../../src/domain/alert';
import { daysLeft } from '../../src/domain/dates';
import { whatIsDue, type DueDecision, type DuePolicy, type DueToken } from '../../src/domain/due-reminders';

const policy: DuePolicy = { zone: 'Europe/Paris', thresholds: [60, 30, 7], expiredRepeatDays: 7 };

function token(expiresIso: string, overrides: Partial<DueToken> = {}): DueToken {
  return { expiresAt: DateTime.fromISO(expiresIso, { setZone: true }).toUTC(), thresholds: null, mutedAt: null, mutedUntil: null, ...overrides };
}

const at = (iso: string): DateTime => DateTime.fromISO(iso, { setZone: true }).toUTC();
/** The key of the alert a decision sends (`t30`, `expired+7`…), as the ledger records it. */
const sent = (decision: DueDecision): string | undefined => (decision.send === null ? undefined : alertKey(decision.send));
const keys = (alerts: readonly Alert[]): string[] => alerts.map(alertKey);

describe('what is due', () => {
  const acme = token('2027-06-30T10:00:00+02:00');

  it('is nothing while more days are left than the largest threshold', () => {
    expect(whatIsDue(acme, new Set(), at('2027-04-30T09:00:00+02:00'), policy)).toEqual({ send: null, skip: [] });
  });

  it('is the 60-day reminder once 60 calendar days are left in the zone', () => {
    const decision = whatIsDue(acme, new Set(), at('2027-05-01T00:00:01+02:00'), policy);
    expect(decision.send).toEqual({ kind: 'threshold', days: 60 });
    expect(daysLeft(acme.expiresAt, at('2027-05-01T00:00:01+02:00'), policy.zone)).toBe(60);
  });

  it('counts calendar days in the configured zone, not 24-hour periods', () => {
    // 23:30 in Paris on 30 April is still 61 days before 30 June, although it is already 1 May in UTC+14.
    expect(whatIsDue(acme, new Set(), at('2027-04-30T23:30:00+02:00'), policy).send).toBeNull();
    expect(sent(whatIsDue(acme, new Set(), at('2027-04-30T23:30:00+02:00'), { ...policy, zone: 'Pacific/Kiritimati' }))).toBe('t60');
  });

  it('does not repeat a threshold already decided for this expiry', () => {
    expect(whatIsDue(acme, new Set(['t60']), at('2027-05-10T09:00:00+02:00'), policy)).toEqual({ send: null, skip: [] });
  });

  it('sends only the most urgent of several undecided thresholds and skips the others', () => {
    const decision = whatIsDue(acme, new Set(), at('2027-06-25T09:00:00+02:00'), policy);
    expect(sent(decision)).toBe('t7');
    expect(keys(decision.skip).sort()).toEqual(['t30', 't60']);
  });

  it('does not skip what was already decided during catch-up', () => {
    const decision = whatIsDue(acme, new Set(['t60']), at('2027-06-25T09:00:00+02:00'), policy);
    expect(keys(decision.skip)).toEqual(['t30']);
  });

  it('fires the 7-day threshold on the expiry day before the expiry instant', () => {
    const decision = whatIsDue(acme, new Set(['t60', 't30']), at('2027-06-30T09:59:59+02:00'), policy);
    expect(decision.send).toEqual({ kind: 'threshold', days: 7 });
    expect(daysLeft(acme.expiresAt, at('2027-06-30T09:59:59+02:00'), policy.zone)).toBe(0);
  });

  it('sends the expired alert once the expiry instant has passed', () => {
    const decision = whatIsDue(acme, new Set(['t60', 't30', 't7']), at('2027-06-30T10:00:00+02:00'), policy);
    expect(decision.send).toEqual({ kind: 'expired', daysAfter: 0 });
  });

  it('repeats the expired alert every N days after expiry', () => {
    const decided = new Set(['t60', 't30', 't7', 'expired']);
    expect(whatIsDue(acme, decided, at('2027-07-07T09:59:00+02:00'), policy).send).toBeNull();
    expect(sent(whatIsDue(acme, decided, at('2027-07-07T10:00:00+02:00'), policy))).toBe('expired+7');
    decided.add('expired+7');
    expect(whatIsDue(acme, decided, at('2027-07-13T10:00:00+02:00'), policy).send).toBeNull();
    expect(sent(whatIsDue(acme, decided, at('2027-07-14T11:00:00+02:00'), policy))).toBe('expired+14');
  });

  it('sends the expired alert once when repeats are off', () => {
    const off = { ...policy, expiredRepeatDays: 0 };
    const decided = new Set(['t60', 't30', 't7', 'expired']);
    expect(whatIsDue(acme, decided, at('2027-09-01T10:00:00+02:00'), off).send).toBeNull();
  });

  it('catches up on a long-expired token with only the latest expired repeat', () => {
    const decision = whatIsDue(acme, new Set(), at('2027-07-20T12:00:00+02:00'), policy);
    expect(sent(decision)).toBe('expired+14');
    expect(keys(decision.skip).sort()).toEqual(['expired', 't30', 't60', 't7']);
  });

  it('uses the token\'s own thresholds over the default ones', () => {
    const own = token('2027-06-30T10:00:00+02:00', { thresholds: [90, 14] });
    expect(sent(whatIsDue(own, new Set(), at('2027-04-01T09:00:00+02:00'), policy))).toBe('t90');
    expect(whatIsDue(own, new Set(['t90']), at('2027-06-10T09:00:00+02:00'), policy).send).toBeNull();
  });

  it('is nothing, and records nothing, while the token is muted', () => {
    const muted = token('2027-06-30T10:00:00+02:00', { mutedAt: at('2027-01-01T00:00:00Z'), mutedUntil: null });
    expect(whatIsDue(muted, new Set(), at('2027-06-29T09:00:00+02:00'), policy)).toEqual({ send: null, skip: [] });
  });

  it('resumes after a mute with an end date has lapsed', () => {
    const muted = token('2027-06-30T10:00:00+02:00', { mutedAt: at('2027-01-01T00:00:00Z'), mutedUntil: at('2027-06-20T00:00:00+02:00') });
    expect(whatIsDue(muted, new Set(), at('2027-06-19T09:00:00+02:00'), policy).send).toBeNull();
    expect(sent(whatIsDue(muted, new Set(), at('2027-06-20T09:00:00+02:00'), policy))).toBe('t30');
  });

  it('counts days correctly across the spring DST change', () => {
    // Paris moves from +01:00 to +02:00 on 28 March 2027; the local day of 28 March has 23 hours.
    const spring = token('2027-04-04T00:30:00+02:00');
    const decision = whatIsDue(spring, new Set(['t60', 't30']), at('2027-03-28T00:30:00+01:00'), policy);
    expect(decision.send).toEqual({ kind: 'threshold', days: 7 });
    expect(daysLeft(spring.expiresAt, at('2027-03-28T00:30:00+01:00'), policy.zone)).toBe(7);
  });

  it('handles a token expiring on 29 February', () => {
    const leap = token('2028-02-29T12:00:00+01:00');
    expect(whatIsDue(leap, new Set(['t60']), at('2028-01-30T08:00:00+01:00'), policy).send).toEqual({ kind: 'threshold', days: 30 });
    expect(daysLeft(leap.expiresAt, at('2028-01-30T08:00:00+01:00'), policy.zone)).toBe(30);
    expect(sent(whatIsDue(leap, new Set(['t60', 't30', 't7']), at('2028-02-29T12:00:00+01:00'), policy))).toBe('expired');
    expect(sent(whatIsDue(leap, new Set(['t60', 't30', 't7', 'expired']), at('2028-03-07T12:00:00+01:00'), policy))).toBe('expired+7');
  });
});
