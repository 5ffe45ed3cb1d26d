// Covers the token kinds registry: each kind's words, portal and steps, and that a reminder for one kind and MDM
// carries that kind's steps for that console and none of another kind's or another console's.
import { DateTime } from 'luxon';
import { KINDS, MDM_NAMES, TOKEN_KINDS, type MdmName, type TokenKind } from '../../src/domain/kinds';
import type { Reminder } from '../../src/domain/reminder';
import { renderDigest } from '../../src/domain/digest-content';
import { renderReminder } from '../../src/domain/reminder-content';
import { DEFAULT_STEP_LIBRARY } from '../../src/domain/renewal-steps';

const ZONE = 'Europe/Paris';
const NOW = DateTime.fromISO('2027-01-01T10:00:00+01:00', { setZone: true }).toUTC();
const TOPIC = 'com.apple.mgmt.External.3f1c2a9e-54b7-4d2e-9d0a-8f6b2c1e7a55';

function reminder(kind: TokenKind, mdm: MdmName, name = `Acme ${kind}`): Reminder {
  return {
    kind: 'threshold',
    threshold: 30,
    daysLeft: 30,
    zone: ZONE,
    token: {
      name,
      kind,
      orgName: 'Acme Corp',
      expiresAt: NOW.plus({ days: 30 }),
      appleId: 'mdm-admin@acme.example',
      orgGroup: 'Global / Acme',
      mdm,
      topic: kind === 'apns' ? TOPIC : null,
    },
  };
}

/** The message's plain text with its wrapping undone: every run of white space is one space. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The template's lines that carry no placeholder, without their list or command mark: they appear in a message. */
function literalLines(template: string): string[] {
  return template
    .split('\n')
    .filter((line) => !line.includes('{{'))
    .map((line) => flat(line.replace(/^\s*[-$] +/, '')).trim());
}

describe('the kinds registry', () => {
  it('registers VPP, APNs and ADE with their labels and nouns', () => {
    expect(TOKEN_KINDS).toEqual(['vpp', 'apns', 'ade']);
    expect([KINDS.vpp.label, KINDS.vpp.noun]).toEqual(['VPP', 'content token']);
    expect([KINDS.apns.label, KINDS.apns.noun]).toEqual(['APNs', 'push certificate']);
    expect([KINDS.ade.label, KINDS.ade.noun]).toEqual(['ADE', 'server token']);
  });

  it('points each kind at the portal where it is renewed', () => {
    expect(KINDS.apns.portals).toEqual([{ name: 'Apple Push Certificates Portal', url: 'https://identity.apple.com' }]);
    for (const kind of ['vpp', 'ade'] as const) {
      expect(KINDS[kind].portals.map((portal) => portal.url)).toEqual(['https://business.apple.com', 'https://school.apple.com']);
    }
  });
});

describe.each(TOKEN_KINDS.flatMap((kind) => MDM_NAMES.map((mdm) => [kind, mdm] as const)))('a %s reminder for %s', (kind, mdm) => {
  const rendered = renderReminder(reminder(kind, mdm));
  const text = flat(rendered.text);
  const own = DEFAULT_STEP_LIBRARY[kind][mdm];

  it("carries its kind's Apple steps, its console's steps and verification, and its impact", () => {
    for (const template of [own.apple, own.console, own.verify, own.impact]) {
      for (const line of literalLines(template)) expect(text).toContain(line);
    }
    expect(rendered.subject).toContain(`${KINDS[kind].title} "Acme ${kind}"`);
    expect(rendered.text).toContain(KINDS[kind].portals[0]?.url ?? 'no portal');
  });

  it("carries none of another kind's steps, for any console", () => {
    for (const other of TOKEN_KINDS.filter((k) => k !== kind)) {
      for (const otherMdm of MDM_NAMES) {
        const theirs = DEFAULT_STEP_LIBRARY[other][otherMdm];
        for (const template of [theirs.apple, theirs.console, theirs.verify, theirs.impact]) {
          for (const line of literalLines(template)) expect(text).not.toContain(line);
        }
      }
    }
  });

  it("carries none of another console's steps for its kind", () => {
    for (const otherMdm of MDM_NAMES.filter((m) => m !== mdm)) {
      for (const line of literalLines(DEFAULT_STEP_LIBRARY[kind][otherMdm].console)) expect(text).not.toContain(line);
    }
  });

  it('shows the same steps in Slack and in the HTML email', () => {
    const slack = JSON.stringify(rendered.slack.blocks);
    const firstConsoleLine = literalLines(own.console)[0] ?? own.console;
    expect(slack).toContain(JSON.stringify(firstConsoleLine.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')).slice(1, -1));
    expect(rendered.html).toContain(firstConsoleLine.replace(/&/g, '&amp;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
  });
});

describe('APNs push certificate wording', () => {
  it('names the topic, the same-Apple-Account rule and Renew at identity.apple.com', () => {
    const text = flat(renderReminder(reminder('apns', 'jamf')).text);
    expect(text).toContain(`Find the certificate with the topic ${TOPIC}, choose Renew`);
    expect(text).toContain('with the same Apple Account that created this certificate: "mdm-admin@acme.example"');
    expect(text).toContain('devices cannot be reached: no commands, no app installs');
    expect(text).toContain('Settings > Global > Push Certificates');
    expect(text).toContain(`Push topic: ${TOPIC}`);
  });

  it('says how to record a topic that is not known', () => {
    const unknown = reminder('apns', 'intune');
    const text = flat(renderReminder({ ...unknown, token: { ...unknown.token, topic: null } }).text);
    expect(text).toContain('the topic not recorded (import the certificate file with tokenwatch renew "Acme apns" --file MDM_push.pem)');
  });

  it('uses the push certificate in the urgency line, not VPP apps', () => {
    const urgent = renderReminder({ ...reminder('apns', 'workspace-one'), threshold: 7, daysLeft: 7 });
    expect(flat(urgent.text)).toContain('Urgent: renew the push certificate today, before the MDM can no longer reach any device.');
    expect(urgent.text).not.toContain('VPP');
  });
});

describe('ADE server token wording', () => {
  it('says what breaks and where the token is downloaded', () => {
    const text = flat(renderReminder(reminder('ade', 'intune')).text);
    expect(text).toContain('new devices are not assigned to your MDM at activation');
    expect(text).toContain('Devices > Management Services');
    expect(text).toContain('Devices > Enrollment > Apple > Enrollment program tokens');
    expect(text).not.toContain('VPP');
  });
});

describe('a digest mixing kinds', () => {
  it("gives each kind and console its own steps, once, and no steps of a kind it does not list", () => {
    const digest = renderDigest(
      [reminder('apns', 'jamf', 'Push'), reminder('ade', 'jamf', 'Enrollment'), reminder('ade', 'jamf', 'Enrollment 2')],
      NOW,
    );
    const text = flat(digest.text);
    expect(text).toContain('For each APNs push certificate (Jamf Pro):');
    expect(text).toContain('For each ADE server token (Jamf Pro):');
    expect(text.split('Settings > Global > Automated Device Enrollment')).toHaveLength(2);
    expect(text).toContain('Settings > Global > Push Certificates');
    expect(digest.html).toContain('How to renew: For each APNs push certificate (Jamf Pro)');
    expect(digest.text).not.toContain('Volume Purchasing');
    expect(digest.text).not.toContain('.vpptoken');
  });

  it('shows a single-kind digest without a per-kind heading', () => {
    const digest = renderDigest([reminder('vpp', 'intune', 'A'), reminder('vpp', 'intune', 'B')], NOW);
    expect(digest.text).not.toContain('For each');
    expect(flat(digest.text)).toContain('Tenant administration > Connectors and tokens > Apple VPP Tokens');
  });
});
