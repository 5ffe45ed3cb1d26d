// Digest content: the subject, text, HTML and Slack blocks of many reminders in one message, within Slack's limits.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatDateTime } from '../../src/domain/dates';
import { SLACK_DIGEST_MAX_TOKENS, renderDigest } from '../../src/domain/digest-content';
import type { Reminder, ReminderToken } from '../../src/domain/reminder';
import { DEFAULT_STEP_LIBRARY, DEFAULT_STEP_TEMPLATES, uniformStepLibrary } from '../../src/domain/renewal-steps';
import { slackTexts } from '../support/slack-blocks';

const ZONE = 'Europe/Paris';
const NOW = DateTime.fromISO('2027-01-01T09:00', { zone: ZONE });

function reminder(name: string, expires: string, overrides: Partial<Reminder> = {}, token: Partial<ReminderToken> = {}): Reminder {
  const expiresAt = DateTime.fromISO(expires, { zone: ZONE }).toUTC();
  return {
    kind: expiresAt <= NOW ? 'expired' : 'threshold',
    threshold: 30,
    daysLeft: 0,
    zone: ZONE,
    ...overrides,
    token: { name, kind: 'vpp', orgName: `${name} Org`, expiresAt, appleId: `${name.toLowerCase().replace(/\W/g, '')}@apple.test`, orgGroup: `Global / ${name}`, ...token },
  };
}


/** The text with wrapped lines joined again: a continuation line (indented) goes back after a space. */
const unwrapped = (text: string): string => text.replace(/\n +/g, ' ');

/** The Slack lines of a digest that list a token: each starts with its urgency emoji. */
const TOKEN_LINE = /^:[a-z_]+: \*/gm;

const many = (count: number): Reminder[] =>
  Array.from({ length: count }, (_, i) => reminder(`Token ${String(i).padStart(3, '0')}`, NOW.plus({ days: 1 + (i % 60), hours: 3 }).toISO() ?? '', { threshold: 60 }));

describe('digest content', () => {
  const digest = renderDigest(
    [
      reminder('Plan Co', '2027-02-20T10:00', { threshold: 60 }),
      reminder('Gone Co', '2026-12-25T10:00', { kind: 'expired', threshold: null }),
      reminder('Soon Co', '2027-01-05T10:00', { threshold: 7 }),
      reminder('Act Co', '2027-01-20T10:00', { threshold: 30 }),
      reminder('Gone Too', '2026-12-30T10:00', { kind: 'expired', threshold: null }),
    ],
    NOW,
  );

  it('sums up how many tokens need renewal and how urgently in the subject', () => {
    expect(digest.subject).toBe('[tokenwatch] 5 tokens to renew: 2 expired, 1 urgent, 1 act now, 1 plan');
  });

  it('lists the tokens by urgency: expired first (longest expired first), then fewest days left', () => {
    const order = ['Gone Co', 'Gone Too', 'Soon Co', 'Act Co', 'Plan Co'];
    const positions = (body: string): number[] => order.map((name) => body.indexOf(name));
    for (const body of [digest.text, digest.html, slackTexts(digest.slack.blocks).join('\n')]) {
      const found = positions(body);
      expect(found.every((position) => position >= 0)).toBe(true);
      expect([...found].sort((a, b) => a - b)).toEqual(found);
    }
    const expires = (iso: string): string => formatDateTime(DateTime.fromISO(iso, { zone: ZONE }), ZONE);
    expect(digest.text).toContain(`1. Gone Co (VPP): Expired 7 days ago\n   Expired: ${expires('2026-12-25T10:00')}\n`);
    expect(digest.text).toContain(`3. Soon Co (VPP): Urgent, 4 days left\n   Expires: ${expires('2027-01-05T10:00')}\n`);
  });

  it('shows each token\'s organization, Organization Group and Apple account, and says when one is not recorded', () => {
    expect(digest.text).toContain('   Organization: Act Co Org\n   Organization Group: Global / Act Co\n   Apple account: actco@apple.test\n');
    const bare = renderDigest([reminder('Bare', '2027-01-20T10:00', {}, { orgName: null, orgGroup: null, appleId: ' ' })], NOW);
    expect(bare.text).toContain('   Organization: not recorded\n   Organization Group: not recorded\n   Apple account: not recorded\n');
    // Slack leaves out what was not recorded instead of repeating "not recorded" on every line.
    expect(slackTexts(bare.slack.blocks).join('\n')).not.toContain('not recorded');
    expect(slackTexts(digest.slack.blocks).join('\n')).toContain(' · Global / Act Co · actco@apple.test');
  });

  it('gives the renewal steps once, pointing at the accounts and groups in the table', () => {
    for (const body of [unwrapped(digest.text), digest.html]) {
      expect(body.split('Download a new content token from Apple')).toHaveLength(2);
      expect(body).toContain('the Apple account listed for each token above');
      expect(body).toContain('the Organization Group listed for each token above');
      expect(body).toContain('tokenwatch renew');
    }
    expect(slackTexts(digest.slack.blocks).join('\n').split('Download a new content token from Apple')).toHaveLength(2);
  });

  it('uses the administrator\'s step wording', () => {
    const custom = renderDigest([reminder('A', '2027-01-20T10:00')], NOW, uniformStepLibrary({ ...DEFAULT_STEP_TEMPLATES, apple: 'Ask {{appleAccount}} at the help desk.' }));
    expect(custom.text).toContain('Ask the Apple account listed for each token above at the help desk.');
  });

  it('counts days left at the time it is sent, not when the reminders were queued', () => {
    const later = renderDigest([reminder('A', '2027-01-20T10:00', { daysLeft: 19 })], NOW.plus({ days: 3 }));
    expect(later.text).toContain('1. A (VPP): Act now, 16 days left\n');
  });

  it('lists every token of the largest Slack digest within Block Kit limits', () => {
    const reminders = many(SLACK_DIGEST_MAX_TOKENS).map((r, i) => ({ ...r, token: { ...r.token, name: `${i}-${'N'.repeat(180)}`, orgGroup: 'G'.repeat(300) } }));
    const { blocks, text } = renderDigest(reminders, NOW).slack;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      const inner = (block as { text?: { type: string; text: string } }).text;
      if (block['type'] === 'section' && inner !== undefined) expect(inner.text.length).toBeLessThanOrEqual(3000);
      if (block['type'] === 'header' && inner !== undefined) expect(inner.text.length).toBeLessThanOrEqual(150);
    }
    expect(text.length).toBeLessThanOrEqual(3000);
    const all = slackTexts(blocks).join('\n');
    reminders.forEach((_, i) => expect(all.split(`*${i}-NNN`)).toHaveLength(2));
    expect(all.match(TOKEN_LINE)).toHaveLength(SLACK_DIGEST_MAX_TOKENS);
  });

  it('says how many tokens it leaves out when a digest is too large for one Slack message', () => {
    const { blocks } = renderDigest(
      many(400).map((r) => ({ ...r, token: { ...r.token, orgGroup: 'G'.repeat(300), orgName: 'O'.repeat(200) } })),
      NOW,
    ).slack;
    expect(blocks.length).toBe(50);
    const all = slackTexts(blocks).join('\n');
    const listed = (all.match(TOKEN_LINE) ?? []).length;
    expect(all).toContain(`…and ${400 - listed} more tokens (listed in the email digest).`);
  });

  it('marks which message of a split Slack digest this is, in the header and the notification text', () => {
    const part = renderDigest(many(5), NOW, DEFAULT_STEP_LIBRARY, { index: 2, count: 3 }).slack;
    // The header does not repeat the product's name: Slack shows it as the sender.
    expect(slackTexts(part.blocks)[0]).toBe('5 tokens to renew (message 2 of 3)');
    expect(part.text).toBe('5 tokens to renew (message 2 of 3): 5 plan');
    expect(digest.slack.text).toBe('5 tokens to renew: 2 expired, 1 urgent, 1 act now, 1 plan');
  });

  it('shows each Slack reader the expiry in their own zone, with the configured-zone text as the fallback', () => {
    const expiresAt = DateTime.fromISO('2027-01-20T10:00', { zone: ZONE });
    const text = slackTexts(renderDigest([reminder('Act Co', '2027-01-20T10:00')], NOW).slack.blocks).join('\n');
    const fallback = formatDateTime(expiresAt, ZONE);
    expect(fallback).toBe('Wednesday 20 January 2027, 10:00 CET (Europe/Paris)');
    // The date once per line: Slack's date token, whose fallback is the configured-zone text.
    expect(text).toContain(`*Act Co* (VPP) · *19 days left* · <!date^${expiresAt.toSeconds()}^{date_long_pretty} at {time}|${fallback}> · Global / Act Co`);
    expect(text.split(fallback)).toHaveLength(2);
  });

  it('escapes every user value: HTML in email, &, < and > in Slack', () => {
    const evil = renderDigest(
      [reminder('<b>x</b> & <!channel>', '2027-01-20T10:00', {}, { orgName: '<script>alert(1)</script>', orgGroup: '<https://evil.test|click>', appleId: '"q"@x' })],
      NOW,
    );
    expect(evil.html).not.toMatch(/<b>|<script>|<!channel>|<https/);
    expect(evil.html).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &lt;!channel&gt;');
    // Our own Slack date tokens are the only `<!…>` left; no user value forms one.
    const ownDates = /<!date\^\d+\^\{date_long_pretty\} at \{time\}\|[^<>|&]*>/g;
    expect(slackTexts(evil.slack.blocks).join('\n').match(ownDates)?.length).toBeGreaterThan(0);
    for (const text of slackTexts(evil.slack.blocks)) expect(text.replace(ownDates, '')).not.toMatch(/<[!@#h]|<script/);
    expect(slackTexts(evil.slack.blocks).join('\n')).toContain('&lt;!channel&gt;');
  });

  it('never throws and keeps Slack limits for any names and counts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 300 })), fc.integer({ min: -30, max: 90 })), { minLength: 1, maxLength: 120 }), (items) => {
        const reminders = items.map(([name, group, days]) =>
          reminder(name, NOW.plus({ days, hours: 1 }).toISO() ?? '', {}, { orgGroup: group, appleId: group }),
        );
        const rendered = renderDigest(reminders, NOW);
        expect(rendered.slack.blocks.length).toBeLessThanOrEqual(50);
        for (const block of rendered.slack.blocks) {
          const inner = (block as { text?: { text: string } }).text;
          if (inner !== undefined) expect(inner.text.length).toBeLessThanOrEqual(3000);
        }
      }),
      { numRuns: 60 },
    );
  });
});
