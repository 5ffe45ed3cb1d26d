// One reminder's content: subject, urgency, text, HTML and Slack blocks, and rendering that never fails for any input.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { SlackBlock } from '../../src/domain/message/message';
import type { Reminder, ReminderToken } from '../../src/domain/reminder';
import { reminderSubject, renderReminder } from '../../src/domain/reminder-content';
import { DEFAULT_STEP_LIBRARY, DEFAULT_STEP_TEMPLATES, fillStep, STEP_KEYS, STEP_PLACEHOLDERS, type StepTemplates, uniformStepLibrary } from '../../src/domain/renewal-steps';
import { slackTextsWithType as slackTexts } from '../support/slack-blocks';

const ZONE = 'Europe/Paris';

const acme: ReminderToken = {
  name: 'Acme Main',
  kind: 'vpp',
  orgName: 'Acme Corp',
  expiresAt: DateTime.fromISO('2027-01-15T09:00:00+01:00', { setZone: true }).toUTC(),
  appleId: 'vpp-admin@acme.example',
  orgGroup: 'Global / Acme / Europe',
};

function reminder(overrides: Partial<Reminder> = {}, token: Partial<ReminderToken> = {}): Reminder {
  return { kind: 'threshold', threshold: 30, daysLeft: 30, zone: ZONE, ...overrides, token: { ...acme, ...token } };
}

const threshold = (days: number, daysLeft = days): Reminder => reminder({ kind: 'threshold', threshold: days, daysLeft });


/** The text with wrapped lines joined again: a continuation line (indented) goes back after a space. */
function unwrapped(text: string): string {
  return text.replace(/\n +/g, ' ');
}

function header(blocks: readonly SlackBlock[]): string {
  const block = blocks.find((b) => b['type'] === 'header') as { text: { type: string; text: string } } | undefined;
  if (block === undefined) throw new Error('no header block');
  expect(block.text.type).toBe('plain_text');
  return block.text.text;
}

/** The one piece of Slack markup we generate ourselves: Slack's date formatting of the expiry instant. */
const SLACK_DATE = /<!date\^\d+\^\{date_long_pretty\} at \{time\}\|[^<>|&]+>/g;

/** A mrkdwn text with our own date token taken out: what is left must hold no raw markup. */
function withoutSlackDate(text: string): string {
  return text.replace(SLACK_DATE, '');
}

describe('reminder subjects', () => {
  it('says how many days are left and the expiry date for each threshold', () => {
    expect(renderReminder(threshold(60)).subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 60 days (2027-01-15)');
    expect(renderReminder(threshold(30)).subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 30 days (2027-01-15)');
    expect(renderReminder(threshold(7)).subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 7 days (2027-01-15)');
    expect(renderReminder(threshold(7, 1)).subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 1 day (2027-01-15)');
    expect(renderReminder(threshold(7, 0)).subject).toBe('[tokenwatch] VPP token "Acme Main" expires today (2027-01-15)');
  });

  it('counts the days left, not the threshold, when a reminder is sent late', () => {
    expect(renderReminder(threshold(60, 58)).subject).toContain('expires in 58 days');
  });

  it('marks an expired token in capitals with the day it expired', () => {
    expect(renderReminder(reminder({ kind: 'expired', threshold: null, daysLeft: -3 })).subject).toBe(
      '[tokenwatch] EXPIRED: VPP token "Acme Main" expired on 2027-01-15',
    );
  });

  it('confirms a renewal with the next expiry date', () => {
    const next = acme.expiresAt.plus({ years: 1 });
    expect(renderReminder(reminder({ kind: 'renewed', threshold: null, daysLeft: 365 }, { expiresAt: next })).subject).toBe(
      '[tokenwatch] Renewed: VPP token "Acme Main", next expiry 2028-01-15',
    );
  });

  it('marks a test message as a test that needs no action', () => {
    const subject = renderReminder(reminder({ kind: 'test', threshold: null })).subject;
    expect(subject.startsWith('[tokenwatch] TEST')).toBe(true);
    expect(subject).toContain('no action needed');
    expect(subject).toContain('"Acme Main"');
  });

  it('names the kind of token with its usual label', () => {
    expect(renderReminder(reminder({}, { kind: 'apns' })).subject).toContain('APNs push certificate "Acme Main"');
    expect(renderReminder(reminder({}, { kind: 'ade' })).subject).toContain('ADE server token "Acme Main"');
  });

  it('puts a name with line breaks on one line and cuts a long one to 80 characters', () => {
    expect(renderReminder(reminder({}, { name: 'Acme\r\n  Main\tEurope' })).subject).toContain('"Acme Main Europe"');
    const subject = renderReminder(reminder({}, { name: 'x'.repeat(200) })).subject;
    expect(subject).toContain(`"${'x'.repeat(79)}…"`);
    expect(subject).not.toContain('x'.repeat(80));
  });
});

describe('reminder urgency', () => {
  it('asks to plan at 60 days, to act at 30 days and says it is urgent at 7 days', () => {
    expect(renderReminder(threshold(60)).text).toMatch(/^Plan: /m);
    expect(renderReminder(threshold(30)).text).toMatch(/^Act now: /m);
    expect(renderReminder(threshold(7)).text).toMatch(/^Urgent: /m);
    expect(renderReminder(threshold(7, 0)).text).toMatch(/^Urgent: /m);
  });

  it('follows the threshold of the reminder rather than the days left', () => {
    expect(renderReminder(threshold(30, 29)).text).toMatch(/^Act now: /m);
    expect(renderReminder(threshold(60, 45)).text).toMatch(/^Plan: /m);
  });

  it('says the service is impaired once the token has expired', () => {
    expect(renderReminder(reminder({ kind: 'expired', threshold: null, daysLeft: -1 })).text).toMatch(/^Expired: service is impaired/m);
  });
});

describe('reminder text', () => {
  it('gives the urgency and days left, the token, organization, expiry in the zone and the four numbered steps', () => {
    const raw = renderReminder(threshold(30)).text;
    const text = unwrapped(raw);
    expect(text.startsWith('ACT NOW · 30 days left\n')).toBe(true);
    expect(text).toContain('Token: Acme Main (VPP)');
    expect(text).toContain('Organization: Acme Corp');
    expect(text).toContain('Expires: Friday 15 January 2027, 09:00 CET (Europe/Paris), in 30 days');
    // Said once: no separate "Days left" fact repeating "in 30 days".
    expect(text).not.toContain('Days left');
    const steps = [...raw.matchAll(/^(\d)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`);
    expect(steps).toEqual([
      '1. Download a new content token from Apple',
      '2. Upload the new content token in Workspace ONE UEM',
      '3. Check that Workspace ONE UEM took it',
      '4. What stops working after expiry',
      '5. Tell tokenwatch',
    ]);
    expect(text).toContain('Groups & Settings > All Settings > Devices & Users > Apple > VPP Managed Distribution');
    expect(text).toContain('Apps already installed keep working.');
    expect(text).toContain('tokenwatch renew "Acme Main" --file new.vpptoken');
  });

  it('says the organization is unknown when the token file did not name it', () => {
    expect(renderReminder(reminder({}, { orgName: null })).text).toContain('Organization: unknown');
  });

  it('carries the Apple account and the Organization Group into the steps when they are known', () => {
    const text = unwrapped(renderReminder(threshold(30)).text);
    expect(text).toContain('as "vpp-admin@acme.example"');
    expect(text).toContain('where the token resides: "Global / Acme / Europe"');
    expect(text).not.toContain('not recorded');
  });

  it('says how to record the Apple account and the Organization Group when they are not known', () => {
    const { text: wrapped, html } = renderReminder(reminder({}, { appleId: null, orgGroup: null }));
    const text = unwrapped(wrapped);
    expect(text).toContain('Apple account: not recorded (add it with tokenwatch edit "Acme Main" --apple-id ACCOUNT)');
    expect(text).toContain('the account that created it (not recorded: add it with tokenwatch edit "Acme Main" --apple-id ACCOUNT)');
    expect(text).toContain('(not recorded: add it with tokenwatch edit "Acme Main" --org-group PATH)');
    expect(html).toContain('--apple-id ACCOUNT');
  });

  it('shows the expiry date in the configured zone', () => {
    const expiresAt = DateTime.fromISO('2027-03-01T00:30:00', { zone: 'Europe/Paris' }).toUTC();
    const paris = renderReminder(reminder({ zone: 'Europe/Paris' }, { expiresAt }));
    const utc = renderReminder(reminder({ zone: 'UTC' }, { expiresAt }));
    expect(paris.subject).toContain('(2027-03-01)');
    expect(paris.text).toContain('Monday 1 March 2027, 00:30 CET (Europe/Paris)');
    expect(utc.subject).toContain('(2027-02-28)');
    expect(utc.text).toContain('Sunday 28 February 2027, 23:30 UTC');
    expect(utc.text).toContain('After 2027-02-28 the console');
  });

  it('keeps a renewal confirmation short, with the next expiry and no steps', () => {
    const next = acme.expiresAt.plus({ years: 1 });
    const rendered = renderReminder(reminder({ kind: 'renewed', threshold: null, daysLeft: 365 }, { expiresAt: next }));
    expect(rendered.text).toContain('renewed; next expiry 2028-01-15');
    expect(rendered.text).not.toMatch(/^1\. /m);
    expect(rendered.text.length).toBeLessThan(renderReminder(threshold(30)).text.length / 3);
    expect(rendered.html).not.toContain('<ol>');
    expect(rendered.slack.blocks.length).toBeLessThanOrEqual(4);
  });

  it('gives a test the full content of a reminder and says no token needs action', () => {
    const test = renderReminder(reminder({ kind: 'test', threshold: null, daysLeft: 30 }));
    const notice = 'This is a test from tokenwatch test-notify; no token needs action.';
    expect(test.text.startsWith(notice)).toBe(true);
    expect(test.text).toMatch(/^5\. Tell tokenwatch$/m);
    expect(test.html).toContain(notice);
    expect(test.slack.text).toContain(notice);
    expect(slackTexts(test.slack.blocks).some((t) => t.text.includes(notice))).toBe(true);
  });

  it('uses the given templates with their placeholders filled', () => {
    const templates = {
      ...DEFAULT_STEP_TEMPLATES,
      apple: 'Ask {{appleAccount}} to download the token of {{orgName}}.',
      tellTokenwatch: 'Open a ticket for {{tokenName}} (expires {{expiryDate}}, group {{orgGroup}}).',
    };
    const rendered = renderReminder(threshold(30), uniformStepLibrary(templates));
    expect(rendered.text).toContain('Ask "vpp-admin@acme.example" to download the token of Acme Corp.');
    expect(unwrapped(rendered.text)).toContain('Open a ticket for Acme Main (expires 2027-01-15, group "Global / Acme / Europe").');
    expect(rendered.html).toContain('Ask &quot;vpp-admin@acme.example&quot; to download the token of Acme Corp.');
    expect(rendered.text).not.toContain('Account Summary');
  });

  it('fits 72 columns: only a word longer than a line (a URL, a command) may overflow', () => {
    const long = reminder({ kind: 'expired', threshold: null, daysLeft: -3 }, { name: 'Acme Main Europe '.repeat(8), orgGroup: 'Global / Acme / Europe / Schools / Lycées '.repeat(3) });
    for (const rendered of [renderReminder(threshold(30)), renderReminder(long), renderReminder(reminder({ kind: 'test', threshold: null }))]) {
      for (const line of rendered.text.split('\n')) {
        if (line.length > 72) expect(line.trim()).toMatch(/^(\S+|tokenwatch .*)$/);
      }
    }
  });

  it('is the same every time for the same reminder', () => {
    expect(renderReminder(threshold(7))).toEqual(renderReminder(threshold(7)));
  });
});

describe('reminder HTML', () => {
  const nasty = '<script>alert("x")</script> & co';

  it('is a complete document with the steps as an ordered list', () => {
    const { html } = renderReminder(threshold(30));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<li class="tw-step/g)).toHaveLength(5);
    // The impact is a real list, the renew command a code block, the portal a button.
    expect(html).toMatch(/<ul[^>]*><li[^>]*>sync licenses;<\/li>/);
    expect(html).toContain('<code>tokenwatch renew &quot;Acme Main&quot; --file new.vpptoken</code>');
    expect(html).toMatch(/<a class="tw-button" href="https:\/\/business\.apple\.com\/"[^>]*>Open Apple Business<\/a>/);
  });

  it('escapes every value an administrator supplied', () => {
    const { html } = renderReminder(reminder({}, { name: nasty, orgName: nasty, appleId: nasty, orgGroup: `${nasty}'` }));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"x"');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('&amp; co&#39;');
    // Only our own tags remain.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => (m[1] ?? '').toLowerCase()));
    expect([...tags].sort()).toEqual([
      '!doctype', 'a', 'body', 'br', 'code', 'h1', 'h2', 'head', 'html', 'li', 'meta', 'ol', 'p', 'pre', 'span', 'strong', 'style', 'table', 'td', 'th', 'title', 'tr', 'ul',
    ]);
  });

  it('escapes markup in an administrator template', () => {
    const templates = { ...DEFAULT_STEP_TEMPLATES, impact: 'Nothing <b>breaks</b> & all is "fine"' };
    expect(renderReminder(threshold(30), uniformStepLibrary(templates)).html).toContain('Nothing &lt;b&gt;breaks&lt;/b&gt; &amp; all is &quot;fine&quot;');
  });

  it('turns line breaks inside a value into spaces', () => {
    const { html } = renderReminder(reminder({}, { name: 'Acme\nMain', orgGroup: 'Global\r\n/ Acme' }));
    expect(html).toContain('Acme Main');
    expect(html).toContain('&quot;Global / Acme&quot;');
  });
});

describe('reminder in Slack', () => {
  it('mentions well-formed Slack user and user-group ids only, in the Slack message alone, and none in a renewal', () => {
    const mentions = ['U0123ABCD', 'S0456EFGH', 'U0123ABCD', '<!channel>', 'alice', 'C0123ABCD'];
    const rendered = renderReminder(reminder({ mentions }));
    expect(rendered.slack.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<@U0123ABCD> <!subteam^S0456EFGH>', verbatim: true } });
    expect(rendered.slack.text.startsWith('<@U0123ABCD> <!subteam^S0456EFGH> ')).toBe(true);
    expect(`${rendered.text}${rendered.html}`).not.toMatch(/U0123ABCD|<!channel>/);
    expect(JSON.stringify(renderReminder(reminder({ kind: 'renewed', threshold: null, mentions })).slack)).not.toContain('U0123ABCD');
    const many = Array.from({ length: 200 }, (_, i) => `U${String(i).padStart(8, '0')}`);
    const line = (renderReminder(reminder({ mentions: many })).slack.blocks[1] as { text: { text: string } }).text.text;
    expect(line.length).toBeLessThanOrEqual(1000);
    expect(line.split(' ').every((mention) => /^<@U\d{8}>$/.test(mention))).toBe(true);
  });

  it('has a header, the facts as fields, the urgency and one section per step', () => {
    const { blocks, text } = renderReminder(threshold(30)).slack;
    expect(header(blocks)).toContain('VPP token "Acme Main" expires in 30 days (2027-01-15)');
    const fields = blocks.find((b) => Array.isArray(b['fields']))?.['fields'] as { type: string; text: string }[];
    expect(fields.map((f) => f.text.split('\n')[0])).toEqual([
      '*Token*',
      '*Organization*',
      '*Expires*',
      '*Apple account*',
      '*Organization Group*',
      '*MDM*',
    ]);
    expect(fields.every((f) => f.type === 'mrkdwn')).toBe(true);
    const sections = slackTexts(blocks).map((t) => t.text);
    expect(sections.some((s) => s.startsWith(':large_orange_circle: *Act now: '))).toBe(true);
    for (const n of [1, 2, 3, 4]) expect(sections.some((s) => s.startsWith(`*${n}. `))).toBe(true);
    expect(text).toContain('VPP token "Acme Main" expires in 30 days (2027-01-15)');
    expect(text).toContain('Expires: Friday 15 January 2027, 09:00 CET (Europe/Paris), in 30 days');
  });

  it('offers the Apple portal of the kind as link buttons and gives the renew command as code', () => {
    const { blocks } = renderReminder(threshold(30), DEFAULT_STEP_LIBRARY, { consoleUrl: 'https://uem.example.test/AirWatch' }).slack;
    const actions = blocks.find((b) => b['type'] === 'actions') as { elements: { type: string; url: string; text: { text: string }; style?: string }[] };
    expect(actions.elements.map((e) => [e.type, e.text.text, e.url])).toEqual([
      ['button', 'Open Apple Business', 'https://business.apple.com/'],
      ['button', 'Open Apple School Manager', 'https://school.apple.com/'],
      ['button', 'Open the console', 'https://uem.example.test/AirWatch'],
    ]);
    expect(actions.elements[0]?.style).toBe('primary');
    const apns = renderReminder(reminder({}, { kind: 'apns' })).slack.blocks.find((b) => b['type'] === 'actions') as { elements: { url: string }[] };
    expect(apns.elements.map((e) => e.url)).toEqual(['https://identity.apple.com/']);
    const texts = slackTexts(blocks).map((t) => t.text);
    expect(texts.some((t) => t.includes('```tokenwatch renew "Acme Main" --file new.vpptoken```'))).toBe(true);
    // The impact is a list of bullets, not "- " text.
    expect(texts.some((t) => t.includes('\n• sync licenses;\n'))).toBe(true);
  });

  it('links only to http(s) addresses, escaped in the HTML', () => {
    const hostile = renderReminder(threshold(30), DEFAULT_STEP_LIBRARY, { consoleUrl: 'javascript:alert(1)' });
    expect(hostile.html).not.toContain('javascript:');
    expect(JSON.stringify(hostile.slack.blocks)).not.toContain('javascript:');
    const quoted = renderReminder(threshold(30), DEFAULT_STEP_LIBRARY, { consoleUrl: 'https://uem.example.test/?a="><script>' });
    expect(quoted.html).not.toContain('<script>');
    expect(quoted.html).toContain('href="https://uem.example.test/?a=%22%3E%3Cscript%3E"');
  });

  it('escapes names that would ping the channel or post a link', () => {
    const { blocks, text } = renderReminder(
      reminder({}, { name: '<!channel> please', orgName: '<http://evil|click>', appleId: '<@U123>', orgGroup: 'a & b' }),
    ).slack;
    expect(text).not.toMatch(/[<>]/);
    for (const value of slackTexts(blocks).filter((t) => t.type === 'mrkdwn').map((t) => t.text)) {
      expect(withoutSlackDate(value)).not.toMatch(/[<>]/);
    }
    const all = [text, ...slackTexts(blocks).map((t) => t.text)].join('\n');
    expect(all).toContain('&lt;!channel&gt; please');
    expect(all).toContain('&lt;http://evil|click&gt;');
    expect(all).toContain('a &amp; b');
    // The plain_text header is escaped too, as Slack asks for every text object.
    expect(header(blocks)).toContain('"&lt;!channel&gt; please"');
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
  });

  it('stays within Slack limits for a 5000-character name with line breaks, markup and emoji', () => {
    const name = `${'🔑 <!here> & *bold*\n'.repeat(250)}end`.slice(0, 5000);
    const long = 'é<&>'.repeat(1500);
    const templates = uniformStepLibrary({ apple: long, console: `${long}\n{{tokenName}}`, verify: long, impact: '{{orgGroup}}'.repeat(30), tellTokenwatch: '{{tokenName}}' });
    for (const kind of ['threshold', 'expired', 'renewed', 'test'] as const) {
      const rendered = renderReminder(reminder({ kind, threshold: kind === 'threshold' ? 7 : null }, { name, orgName: name, appleId: name, orgGroup: name }), templates);
      const { blocks } = rendered.slack;
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(header(blocks).length).toBeLessThanOrEqual(150);
      expect(header(blocks)).not.toContain('\n');
      for (const { type, text } of slackTexts(blocks)) {
        if (type === 'mrkdwn') expect(text.length).toBeLessThanOrEqual(3000);
        // A cut never leaves half an entity or half an emoji.
        expect(text).not.toMatch(/&(a|am|l|g|amp|lt|gt)?…/);
        expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      }
      const fields = blocks.flatMap((b) => (Array.isArray(b['fields']) ? (b['fields'] as { text: string }[]) : []));
      for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(2000);
      expect(rendered.subject).not.toContain('\n');
      expect(rendered.subject.length).toBeLessThan(200);
      expect(rendered.html).not.toContain('<!here>');
      expect(() => JSON.stringify(rendered)).not.toThrow();
    }
  });
});

describe('reminder rendering for any input', () => {
  it('never throws and keeps every Slack limit, whatever the strings and the days', () => {
    const text = fc.string({ unit: 'binary', maxLength: 400 });
    const optional = fc.option(text, { nil: null });
    fc.assert(
      fc.property(
        fc.record({ name: text, orgName: optional, appleId: optional, orgGroup: optional }),
        fc.constantFrom('threshold', 'expired', 'renewed', 'test' as const),
        fc.integer({ min: -400, max: 400 }),
        fc.record({ apple: text, console: text, verify: text, impact: text, tellTokenwatch: text }),
        (token, kind, daysLeft, templates) => {
          const rendered = renderReminder(reminder({ kind, threshold: kind === 'threshold' ? 30 : null, daysLeft }, token), uniformStepLibrary(templates));
          expect(rendered.subject).not.toMatch(/[\r\n]/);
          expect(rendered.slack.blocks.length).toBeLessThanOrEqual(50);
          expect(header(rendered.slack.blocks).length).toBeLessThanOrEqual(150);
          for (const { type, text: value } of slackTexts(rendered.slack.blocks)) {
            if (type === 'mrkdwn') {
              expect(value.length).toBeLessThanOrEqual(3000);
              expect(withoutSlackDate(value)).not.toMatch(/[<>]/);
            }
          }
          expect(rendered.slack.text).not.toMatch(/[<>]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('expiry dates a reader understands (issue 8)', () => {
  const winter = DateTime.fromISO('2026-12-15T23:59:00', { zone: 'Europe/Paris' }).toUTC();
  const summer = DateTime.fromISO('2027-07-15T09:00:00', { zone: 'Europe/Paris' }).toUTC();

  /** Every text a reader may see: subject, text and HTML bodies, Slack fallback and every Slack text object. */
  function everything(rendered: ReturnType<typeof renderReminder>): string {
    return [rendered.subject, rendered.text, rendered.html, rendered.slack.text, ...slackTexts(rendered.slack.blocks).map((t) => t.text)].join('\n');
  }

  it('shows date, time, zone abbreviation and zone name plus "in N days" in the text, the HTML and the Slack fallback', () => {
    const rendered = renderReminder(reminder({ daysLeft: 30 }, { expiresAt: winter }));
    const full = 'Tuesday 15 December 2026, 23:59 CET (Europe/Paris), in 30 days';
    expect(rendered.text).toContain(`Expires: ${full}`);
    expect(rendered.html).toMatch(new RegExp(`<td[^>]*>${full.replace(/[()]/g, '\\$&')}</td>`));
    expect(rendered.slack.text).toContain(`Expires: ${full}`);
    // The subject stays short: the date only, in the configured zone.
    expect(rendered.subject).toBe('[tokenwatch] VPP token "Acme Main" expires in 30 days (2026-12-15)');
  });

  it('says CEST for a summer expiry in Paris', () => {
    expect(renderReminder(reminder({ daysLeft: 30 }, { expiresAt: summer })).text).toContain('Expires: Thursday 15 July 2027, 09:00 CEST (Europe/Paris), in 30 days');
  });

  it('says today on the expiry day and how long ago once expired', () => {
    expect(renderReminder(threshold(7, 0)).text).toContain('Expires: Friday 15 January 2027, 09:00 CET (Europe/Paris), today');
    const expired = renderReminder(reminder({ kind: 'expired', threshold: null, daysLeft: -8 }));
    expect(expired.text).toContain('Expired: Friday 15 January 2027, 09:00 CET (Europe/Paris), 8 days ago');
    expect(expired.text.startsWith('EXPIRED · 8 days ago\n')).toBe(true);
    const renewed = renderReminder(reminder({ kind: 'renewed', threshold: null, daysLeft: 365 }, { expiresAt: acme.expiresAt.plus({ years: 1 }) }));
    expect(unwrapped(renewed.text)).toContain('Next expiry: Saturday 15 January 2028, 09:00 CET (Europe/Paris), in 365 days');
  });

  it('shows a non-DST zone by its offset and never says UTC unless the zone is UTC', () => {
    const tokyo = renderReminder(reminder({ zone: 'Asia/Tokyo', daysLeft: 30 }, { expiresAt: winter }));
    expect(unwrapped(tokyo.text)).toContain('Expires: Wednesday 16 December 2026, 07:59 GMT+9 (Asia/Tokyo), in 30 days');
    for (const zone of ['Europe/Paris', 'Asia/Tokyo', 'America/New_York', 'Australia/Sydney']) {
      for (const kind of ['threshold', 'expired', 'renewed', 'test'] as const) {
        for (const expiresAt of [winter, summer]) {
          expect(everything(renderReminder(reminder({ zone, kind, threshold: kind === 'threshold' ? 30 : null }, { expiresAt })))).not.toContain('UTC');
        }
      }
    }
    expect(renderReminder(reminder({ zone: 'UTC' }, { expiresAt: winter })).text).toContain('Tuesday 15 December 2026, 22:59 UTC');
  });

  it("gives Slack readers the expiry in their own zone with Slack's date formatting, the configured-zone text as fallback", () => {
    const { blocks } = renderReminder(reminder({ daysLeft: 30 }, { expiresAt: winter })).slack;
    const expires = slackTexts(blocks).find((t) => t.text.startsWith('*Expires*'));
    const seconds = winter.toSeconds();
    expect(seconds).toBe(1_797_375_540);
    expect(expires?.text).toBe(
      '*Expires*\nTuesday 15 December 2026, 23:59 CET (Europe/Paris), in 30 days\n' +
        'Your time: <!date^1797375540^{date_long_pretty} at {time}|Tuesday 15 December 2026, 23:59 CET (Europe/Paris)>',
    );
    expect(expires?.type).toBe('mrkdwn');
  });

  it('lets no user value forge a date token, a mention or a link next to the one we generate', () => {
    const forged = '<!date^0^{date}|x> <!channel> <!here|h> <http://evil|x>';
    const { blocks, text } = renderReminder(reminder({}, { name: forged, orgName: forged, appleId: forged, orgGroup: forged })).slack;
    const all = [text, ...slackTexts(blocks).map((t) => t.text)].join('\n');
    // Exactly one Slack control sequence in the whole message: our date token.
    expect([...all.matchAll(/<[!@#]/g)]).toHaveLength(1);
    expect(all.match(SLACK_DATE)).toHaveLength(1);
    expect(all).toContain('&lt;!date^0^{date}|x&gt; &lt;!channel&gt;');
  });
});

describe('step templates', () => {
  it('lists the placeholders the default wording of every kind and MDM uses', () => {
    const used = new Set(
      Object.values(DEFAULT_STEP_LIBRARY)
        .flatMap((byMdm): StepTemplates[] => Object.values(byMdm))
        .flatMap((templates) => STEP_KEYS.map((key) => templates[key]))
        .flatMap((template) => [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1])),
    );
    expect(used).toContain('topic');
    for (const name of used) expect(STEP_PLACEHOLDERS).toContain(name);
  });

  it('fills a value literally, even one that looks like a replacement pattern', () => {
    const values = { tokenName: '$& $1 $$', tokenNameQuoted: 'q', orgName: 'o', appleAccount: 'a', orgGroup: 'g', expiryDate: 'd', topic: 't' };
    expect(fillStep('[{{tokenName}}] {{unknown}} {{orgName}}', values)).toBe('[$& $1 $$] {{unknown}} o');
  });

  it('quotes the name in the renew command so that a name with quotes or $ still gives a working command', () => {
    const message = renderReminder(reminder({ kind: 'threshold', threshold: 30, daysLeft: 30 }, { name: 'Acme "EU" $HOME' }));
    expect(message.text).toContain('tokenwatch renew "Acme \\"EU\\" \\$HOME" --file new.vpptoken');
  });
});

describe('reminderSubject', () => {
  it('gives the subject renderReminder gives, for every kind, without rendering the bodies', () => {
    const expiresAt = DateTime.fromISO('2027-01-15T10:00', { zone: 'Europe/Paris' }).toUTC();
    const token = { name: 'Acme "Main" <b>', kind: 'vpp' as const, orgName: null, expiresAt, appleId: null, orgGroup: null };
    for (const kind of ['threshold', 'expired', 'renewed', 'test'] as const) {
      for (const daysLeft of [-3, 0, 1, 30]) {
        const reminder = { kind, threshold: kind === 'threshold' ? 30 : null, token, daysLeft, zone: 'Europe/Paris' };
        expect([kind, daysLeft, reminderSubject(reminder)]).toEqual([kind, daysLeft, renderReminder(reminder).subject]);
      }
    }
  });
});
