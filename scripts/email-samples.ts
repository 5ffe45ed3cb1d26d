// The three emails shown in docs/ and checked in headless Chromium: a 30-day reminder, an expired alert and a digest,
// rendered by the real message code from fixed facts (the clock is fixed, so the pictures only change with the code).
import { DateTime } from 'luxon';
import { daysLeft } from '../src/domain/dates';
import { renderDigest } from '../src/domain/digest-content';
import type { RenderedMessage } from '../src/domain/message/message';
import type { Reminder, ReminderToken } from '../src/domain/reminder';
import { renderReminder } from '../src/domain/reminder-content';
import { DEFAULT_STEP_LIBRARY } from '../src/domain/renewal-steps';

export const SAMPLE_ZONE = 'Europe/Paris';
const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: SAMPLE_ZONE }).toUTC();
export const SAMPLE_NOW = at('2027-01-10T09:00');
/** The console button's address in the samples (TOKENWATCH_CONSOLE_URL). */
export const SAMPLE_CONSOLE_URL = 'https://uem.acme.example/AirWatch';

export interface SampleEmail {
  /** File-name part: `reminder`, `expired`, `digest`. */
  readonly id: string;
  readonly message: RenderedMessage;
}

/** Sample emails; `names` replaces the token names (the browser test passes hostile ones). */
export function sampleEmails(names: { readonly main?: string; readonly other?: string } = {}): SampleEmail[] {
  const token = (name: string, expires: string, fields: Partial<ReminderToken> = {}): ReminderToken => ({
    name,
    kind: 'vpp',
    orgName: 'Acme Corp',
    expiresAt: at(expires),
    appleId: 'vpp-admin@acme.example',
    orgGroup: 'Global / Acme / Europe',
    ...fields,
  });
  const reminder = (t: ReminderToken, kind: Reminder['kind'], threshold: number | null): Reminder => ({
    kind,
    threshold,
    token: t,
    daysLeft: daysLeft(t.expiresAt, SAMPLE_NOW, SAMPLE_ZONE),
    zone: SAMPLE_ZONE,
  });
  const main = names.main ?? 'Acme Retail EU';
  const other = names.other ?? 'Acme Schools – District 4';
  const links = { consoleUrl: SAMPLE_CONSOLE_URL };
  const single = renderReminder(reminder(token(main, '2027-02-09T09:45'), 'threshold', 30), DEFAULT_STEP_LIBRARY, links);
  const expired = renderReminder(
    reminder(token(other, '2027-01-07T11:30', { orgName: 'Acme Schools', orgGroup: 'Global / Acme / Schools / District 4', appleId: null }), 'expired', null),
    DEFAULT_STEP_LIBRARY,
    links,
  );
  const digest = renderDigest(
    [
      reminder(token(other, '2027-01-07T11:30', { orgName: 'Acme Schools', orgGroup: 'Global / Acme / Schools / District 4' }), 'expired', null),
      reminder(token('Acme Kiosks', '2027-01-14T10:00', { orgGroup: 'Global / Acme / Kiosks' }), 'threshold', 7),
      reminder(token(main, '2027-02-09T09:45'), 'threshold', 30),
      reminder(token('Acme MDM Push', '2027-03-01T08:20', { kind: 'apns', orgGroup: null, appleId: 'mdm-push@acme.example' }), 'threshold', 60),
    ],
    SAMPLE_NOW,
    DEFAULT_STEP_LIBRARY,
    { index: 1, count: 1 },
    links,
  );
  return [
    { id: 'reminder', message: single },
    { id: 'expired', message: expired },
    { id: 'digest', message: digest },
  ];
}
