// planToken: everything a scan records for one token (the alert to queue, the superseded ones, the renewal confirmation, the routes and the first attempt), pure with time as a parameter.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { alertKey, type Alert } from '../../src/domain/alert';
import { planToken, type PlanSettings, type TokenPlan } from '../../src/domain/plan-token';
import { reminderSubject } from '../../src/domain/reminder-content';
import { DEFAULT_BYPASS } from '../../src/domain/send-window';
import { NO_OWN_CHOICES, type Token } from '../../src/domain/token';

const PARIS = 'Europe/Paris';
const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: PARIS }).toUTC();

const settings: PlanSettings = {
  policy: { zone: PARIS, thresholds: [60, 30, 7], expiredRepeatDays: 7 },
  routing: { mailTo: ['admins@example.test', 'ops@example.test'], slackChannel: '#mdm' },
  enabled: { email: true, slack: true, teams: false, preview: false },
  sendWindow: null,
};

/** Weekdays 08:00-18:00 in Paris, with the default bypass (expired alerts and the smallest threshold go at once). */
const officeHours: PlanSettings = {
  ...settings,
  sendWindow: { window: { hours: { startMinute: 8 * 60, endMinute: 18 * 60 }, days: [1, 2, 3, 4, 5] }, bypass: DEFAULT_BYPASS },
};

function token(expires: string, fields: Partial<Token> = {}): Token {
  return {
    id: 7,
    name: 'Acme',
    kind: 'vpp',
    orgName: 'Acme Corp',
    expiresAt: at(expires),
    addedAt: at('2026-06-30T10:00'),
    downloadedAt: null,
    appleId: 'mdm@acme.example',
    ...NO_OWN_CHOICES,
    orgGroup: 'Acme/EMEA',
    fingerprint: null,
    mutedAt: null,
    mutedUntil: null,
    renewalPending: false,
    mdm: 'workspace-one',
    topic: null,
    consoleUrl: null,
    ...fields,
  };
}

const keysOf = (alerts: readonly Alert[]): string[] => alerts.map(alertKey);
const queuedKeys = (plan: TokenPlan | null): string[] => keysOf(plan?.queue.map((q) => q.alert) ?? []);

describe('the plan for a token', () => {
  it('is nothing to record while no alert is due and no renewal waits for its confirmation', () => {
    expect(planToken(token('2027-06-30T10:00'), new Set(), at('2027-04-01T09:00'), settings)).toBeNull();
  });

  it('queues the due threshold with its facts, its subject and one delivery per default recipient, at once', () => {
    const now = at('2027-05-31T09:00');
    const plan = planToken(token('2027-06-30T10:00'), new Set(['t60']), now, settings);
    expect(plan?.skip).toEqual([]);
    expect(plan?.settlesRenewal).toBe(false);
    const [queued, ...others] = plan?.queue ?? [];
    expect(others).toEqual([]);
    expect(queued?.alert).toEqual({ kind: 'threshold', days: 30 });
    expect(queued?.reminder).toMatchObject({ kind: 'threshold', threshold: 30, daysLeft: 30, zone: PARIS, token: { name: 'Acme', orgName: 'Acme Corp' } });
    expect(queued?.subject).toBe(queued === undefined ? undefined : reminderSubject(queued.reminder));
    expect(queued?.routes).toEqual([
      { channel: 'email', recipient: 'admins@example.test' },
      { channel: 'email', recipient: 'ops@example.test' },
      { channel: 'slack', recipient: '#mdm' },
    ]);
    expect(queued?.notBefore.toMillis()).toBe(now.toMillis());
  });

  it('queues only the most urgent alert and records the thresholds it supersedes as skipped', () => {
    const plan = planToken(token('2027-06-30T10:00'), new Set(), at('2027-06-25T09:00'), settings);
    expect(queuedKeys(plan)).toEqual(['t7']);
    expect(keysOf(plan?.skip ?? []).sort()).toEqual(['t30', 't60']);
  });

  it('counts the days left in the configured zone, 0 on the expiry day before the expiry instant', () => {
    const plan = planToken(token('2027-06-30T10:00'), new Set(['t60', 't30']), at('2027-06-30T09:59'), settings);
    expect(plan?.queue[0]?.reminder.daysLeft).toBe(0);
  });

  it('confirms a pending renewal first, and says the renewal is settled', () => {
    const renewed = token('2027-07-20T10:00', { renewalPending: true });
    const plan = planToken(renewed, new Set(), at('2027-06-25T09:00'), settings);
    expect(queuedKeys(plan)).toEqual(['renewed', 't30']);
    expect(plan?.queue[0]?.reminder).toMatchObject({ kind: 'renewed', threshold: null });
    expect(plan?.settlesRenewal).toBe(true);
  });

  it('does not confirm a renewal twice when the confirmation was already decided for this expiry', () => {
    const renewed = token('2028-06-30T10:00', { renewalPending: true });
    expect(planToken(renewed, new Set(['renewed']), at('2027-07-01T09:00'), settings)).toBeNull();
  });

  it('skips the renewal confirmation of a muted token and queues nothing for it', () => {
    const muted = token('2027-06-30T10:00', { renewalPending: true, mutedAt: at('2027-01-01T00:00') });
    const plan = planToken(muted, new Set(), at('2027-06-25T09:00'), settings);
    expect(plan?.queue).toEqual([]);
    expect(keysOf(plan?.skip ?? [])).toEqual(['renewed']);
    expect(plan?.settlesRenewal).toBe(true);
  });

  it('queues again, on the real channels, the current alert that only went to the preview, and nothing it superseded', () => {
    const now = at('2027-01-28T10:00');
    // 23 days left: t30 is current; t60 and t30 were decided while only previews were written.
    const previewed = new Set(['t60', 't30']);
    const plan = planToken(token('2027-02-20T10:00'), previewed, now, settings, previewed);
    expect(plan?.queue).toEqual([]);
    expect(plan?.skip).toEqual([]);
    expect(keysOf(plan?.afterPreview.map((q) => q.alert) ?? [])).toEqual(['t30']);
    expect(plan?.afterPreview[0]?.routes).toEqual([
      { channel: 'email', recipient: 'admins@example.test' },
      { channel: 'email', recipient: 'ops@example.test' },
      { channel: 'slack', recipient: '#mdm' },
    ]);
    // Nothing more once it went out for real, while previews are still written, or when only a superseded one was previewed.
    expect(planToken(token('2027-02-20T10:00'), previewed, now, settings, new Set())).toBeNull();
    expect(planToken(token('2027-02-20T10:00'), previewed, now, { ...settings, enabled: { email: false, slack: false, teams: false, preview: true } }, previewed)).toBeNull();
    expect(planToken(token('2027-02-20T10:00'), previewed, now, settings, new Set(['t60']))).toBeNull();
    // Teams alone is a real channel too.
    const teamsOnly = { ...settings, routing: { ...settings.routing, teamsWebhook: 'mdm' }, enabled: { email: false, slack: false, teams: true, preview: false } };
    expect(planToken(token('2027-02-20T10:00'), previewed, now, teamsOnly, previewed)?.afterPreview[0]?.routes).toEqual([{ channel: 'teams', recipient: 'mdm' }]);
  });

  it('routes a preview to where the real deliveries would go: the token\'s own recipients', () => {
    const preview = { ...settings, enabled: { email: false, slack: false, teams: false, preview: true } };
    const plan = planToken(token('2027-02-20T10:00', { email: ['it@acme.example'] }), new Set(), at('2027-01-01T10:00'), preview);
    expect(plan?.queue[0]?.routes).toEqual([
      { channel: 'preview', recipient: 'email:it@acme.example' },
      { channel: 'preview', recipient: 'slack:#mdm' },
    ]);
  });

  it('previews an escalated alert for its escalation contacts too, and an earlier one for the usual recipients only', () => {
    const preview: PlanSettings = {
      ...settings,
      routing: { ...settings.routing, escalation: { email: ['boss@example.test'], slack: [], teams: ['oncall'] } },
      enabled: { email: false, slack: false, teams: false, preview: true },
    };
    const recipients = (decided: string[], day: string): string[] =>
      (planToken(token('2027-06-30T10:00'), new Set(decided), at(day), preview)?.queue[0]?.routes ?? []).map((route) => route.recipient);
    const usual = ['email:admins@example.test', 'email:ops@example.test', 'slack:#mdm'];
    expect(recipients(['t60'], '2027-06-01T09:00')).toEqual(usual); // t30
    expect(recipients(['t60', 't30'], '2027-06-25T09:00')).toEqual([...usual, 'email:boss@example.test', 'teams:oncall']); // t7
  });

  it('routes to the token\'s own recipients over the defaults', () => {
    const own = token('2027-06-30T10:00', { email: ['owner@acme.example'], slackChannel: '#acme' });
    expect(planToken(own, new Set(), at('2027-06-25T09:00'), settings)?.queue[0]?.routes).toEqual([
      { channel: 'email', recipient: 'owner@acme.example' },
      { channel: 'slack', recipient: '#acme' },
    ]);
  });

  it('adds the escalation contacts to the smallest threshold and expired alerts only, each channel and recipient once', () => {
    const escalating: PlanSettings = {
      ...settings,
      routing: { ...settings.routing, escalation: { email: ['boss@example.test', 'ops@example.test'], slack: ['#oncall'], teams: ['oncall'] } },
    };
    const routesOn = (own: Token, decided: string[], day: string): string[] =>
      (planToken(own, new Set(decided), at(day), escalating)?.queue[0]?.routes ?? []).map((route) => `${route.channel} ${route.recipient}`);
    const usual = ['email admins@example.test', 'email ops@example.test', 'slack #mdm'];
    const escalated = [...usual, 'email boss@example.test', 'slack #oncall'];
    expect(routesOn(token('2027-06-30T10:00'), [], '2027-05-01T09:00')).toEqual(usual); // t60
    expect(routesOn(token('2027-06-30T10:00'), ['t60'], '2027-06-01T09:00')).toEqual(usual); // t30
    expect(routesOn(token('2027-06-30T10:00'), ['t60', 't30'], '2027-06-25T09:00')).toEqual(escalated); // t7
    expect(routesOn(token('2027-06-30T10:00'), ['t60', 't30', 't7'], '2027-07-01T09:00')).toEqual(escalated); // expired
    expect(routesOn(token('2027-06-30T10:00'), ['t60', 't30', 't7', 'expired'], '2027-07-08T09:00')).toEqual(escalated); // expired+7
    // Its own thresholds: 14 is the smallest; its own email contacts replace the default ones, Slack keeps the default.
    const own = token('2027-06-30T10:00', { thresholds: [30, 14], escalateEmail: ['owner@acme.example'] });
    expect(routesOn(own, ['t30'], '2027-06-20T09:00')).toEqual([...usual, 'email owner@acme.example', 'slack #oncall']);
    // The renewal confirmation does not escalate.
    const renewed = planToken(token('2027-06-30T10:00', { renewalPending: true }), new Set(['t60', 't30', 't7']), at('2027-06-26T09:00'), escalating);
    expect(renewed?.queue[0]?.alert).toEqual({ kind: 'renewed' });
    expect(renewed?.queue[0]?.routes.map((route) => `${route.channel} ${route.recipient}`)).toEqual(usual);
  });

  it('stores the Slack mentions with the reminder facts: the token\'s own, else the default ones', () => {
    const mentioning: PlanSettings = { ...settings, routing: { ...settings.routing, slackMentions: ['S0DEFAULT1'] } };
    expect(planToken(token('2027-06-30T10:00'), new Set(), at('2027-06-25T09:00'), mentioning)?.queue[0]?.reminder.mentions).toEqual(['S0DEFAULT1']);
    const own = token('2027-06-30T10:00', { slackMentions: ['U0OWNER42'] });
    expect(planToken(own, new Set(), at('2027-06-25T09:00'), mentioning)?.queue[0]?.reminder.mentions).toEqual(['U0OWNER42']);
    expect(planToken(token('2027-06-30T10:00'), new Set(), at('2027-06-25T09:00'), settings)?.queue[0]?.reminder).not.toHaveProperty('mentions');
  });

  it('has no route when no recipient is configured anywhere, so the store records it as unrouted', () => {
    const nobody: PlanSettings = { ...settings, routing: { mailTo: [], slackChannel: null } };
    expect(planToken(token('2027-06-30T10:00'), new Set(), at('2027-06-25T09:00'), nobody)?.queue[0]?.routes).toEqual([]);
  });

  it('holds a reminder planned at night until the send window opens, in the configured zone', () => {
    const plan = planToken(token('2027-06-30T10:00'), new Set(['t60']), at('2027-05-31T22:30'), officeHours);
    expect(plan?.queue[0]?.notBefore.setZone(PARIS).toISO()).toBe('2027-06-01T08:00:00.000+02:00');
  });

  it('sends the token\'s smallest threshold and the expired alert at once, even at night', () => {
    const night = at('2027-06-26T23:00');
    const own = token('2027-06-30T10:00', { thresholds: [30, 5] });
    expect(planToken(own, new Set(['t30']), night, officeHours)?.queue[0]?.notBefore.toMillis()).toBe(night.toMillis());
    const late = at('2027-07-03T23:00');
    const expired = planToken(token('2027-06-30T10:00'), new Set(['t60', 't30', 't7']), late, officeHours);
    expect(queuedKeys(expired)).toEqual(['expired']);
    expect(expired?.queue[0]?.notBefore.toMillis()).toBe(late.toMillis());
  });

  it('never queues or skips an alert already decided, and never both queues and skips one', () => {
    const all = ['t60', 't30', 't7', 'expired', 'expired+7', 'expired+14', 'renewed'];
    fc.assert(
      fc.property(
        fc.subarray(all),
        fc.integer({ min: -30, max: 90 }),
        fc.boolean(),
        (decidedKeys, daysBefore, isRenewalPending) => {
          const decided = new Set(decidedKeys);
          const plan = planToken(token('2027-06-30T10:00', { renewalPending: isRenewalPending }), decided, at('2027-06-30T12:00').minus({ days: daysBefore }), settings);
          if (plan === null) return;
          const queued = queuedKeys(plan);
          const skipped = keysOf(plan.skip);
          for (const key of [...queued, ...skipped]) expect(decided.has(key)).toBe(false);
          expect(queued.filter((key) => skipped.includes(key))).toEqual([]);
          expect(queued.length + skipped.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
