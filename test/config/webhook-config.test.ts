// Signed-webhook settings: one URL or several named ones and the signing secret, from the environment or secret files
// only; one-line errors that never show a URL or the secret; every event routed to every webhook, by name.
import fs from 'node:fs';
import path from 'node:path';
import { channelSettings, describeConfig, loadConfig } from '../../src/config';
import { routesFor } from '../../src/domain/routing';
import { configuredChannels, everyReminderRoutes } from '../../src/notify/channels';
import { inputErrorFrom } from '../support/input-error';
import { makeTempDir, removeDir } from '../support/temp-dir';

const SIEM = 'https://siem.example.test/hooks/tokenwatch?token=SIEMSECRET';
const TICKETS = 'https://tickets.example.test/in?key=TICKETSSECRET';
const KEY = 'KEYSECRET-0123456789abcdef';

describe('signed-webhook settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));
  const load = (env: Record<string, string>) => loadConfig({ env: { TOKENWATCH_TZ: 'Europe/Paris', ...env }, cwd: dir });

  it('names TOKENWATCH_WEBHOOK_URL "default", lists TOKENWATCH_WEBHOOKS after it, and turns the channel on', () => {
    const config = load({ TOKENWATCH_WEBHOOK_URL: SIEM, TOKENWATCH_WEBHOOKS: `tickets=${TICKETS}`, TOKENWATCH_WEBHOOK_SECRET: KEY });
    expect(config.webhooks).toEqual([
      { name: 'default', url: SIEM },
      { name: 'tickets', url: TICKETS },
    ]);
    expect(config.webhookSecret).toBe(KEY);
    expect(configuredChannels(channelSettings(config))).toEqual({ email: false, slack: false, teams: false, webhook: true, preview: false });
  });

  it('reads the URLs and the secret from secret files', () => {
    fs.writeFileSync(path.join(dir, 'hooks'), `siem=${SIEM}\ntickets=${TICKETS}\n`);
    fs.writeFileSync(path.join(dir, 'key'), `${KEY}\n`);
    const config = load({ TOKENWATCH_WEBHOOKS_FILE: path.join(dir, 'hooks'), TOKENWATCH_WEBHOOK_SECRET_FILE: path.join(dir, 'key') });
    expect(config.webhooks.map((webhook) => webhook.name)).toEqual(['siem', 'tickets']);
    expect(config.webhookSecret).toBe(KEY);
  });

  it('sends every reminder to every webhook, by name, besides the routes a token chooses', () => {
    const config = load({ TOKENWATCH_WEBHOOKS: `siem=${SIEM},tickets=${TICKETS}`, TOKENWATCH_WEBHOOK_SECRET: KEY });
    const routing = { mailTo: [], slackChannel: null, everyReminder: everyReminderRoutes(channelSettings(config)) };
    expect(routesFor({ email: null, slackChannel: null }, routing, configuredChannels(channelSettings(config)))).toEqual([
      { channel: 'webhook', recipient: 'siem' },
      { channel: 'webhook', recipient: 'tickets' },
    ]);
  });

  it('keeps the URLs and the secret secret: redacted, shown only as set, refused in the config file', () => {
    const config = load({ TOKENWATCH_WEBHOOK_URL: SIEM, TOKENWATCH_WEBHOOK_SECRET: KEY });
    expect(config.secrets).toEqual(expect.arrayContaining([SIEM, KEY]));
    const shown = JSON.stringify(describeConfig(config));
    expect(shown).not.toMatch(/SIEMSECRET|KEYSECRET/);
    expect(shown).toContain('"webhooks":[{"name":"default","url":"set"}]');
    expect(shown).toContain('"webhookSecret":"set"');
    fs.writeFileSync(path.join(dir, 'tokenwatch.json'), JSON.stringify({ webhookSecret: KEY }));
    expect(() => loadConfig({ configFile: path.join(dir, 'tokenwatch.json'), env: {}, cwd: dir })).toThrow(/"webhookSecret" is a secret and is not read from the config file/);
  });

  it.each([
    [{ TOKENWATCH_WEBHOOK_URL: SIEM }, /^TOKENWATCH_WEBHOOK_SECRET: not set, but a webhook is/],
    [{ TOKENWATCH_WEBHOOK_URL: SIEM, TOKENWATCH_WEBHOOK_SECRET: 'short-SECRET' }, /^TOKENWATCH_WEBHOOK_SECRET: too short \(expected at least 16 characters/],
    [{ TOKENWATCH_WEBHOOK_URL: 'ftp://x?token=SIEMSECRET', TOKENWATCH_WEBHOOK_SECRET: KEY }, /^TOKENWATCH_WEBHOOK_URL: not an http\(s\) URL/],
    [{ TOKENWATCH_WEBHOOKS: SIEM, TOKENWATCH_WEBHOOK_SECRET: KEY }, /^TOKENWATCH_WEBHOOKS: entry 1 has no name/],
    [{ TOKENWATCH_WEBHOOKS: `siem=${SIEM},siem=${TICKETS}`, TOKENWATCH_WEBHOOK_SECRET: KEY }, /"siem" is named twice/],
    [{ TOKENWATCH_WEBHOOK_URL: SIEM, TOKENWATCH_WEBHOOKS: `default=${TICKETS}`, TOKENWATCH_WEBHOOK_SECRET: KEY }, /"default" is TOKENWATCH_WEBHOOK_URL's name/],
  ])('rejects %j with a one-line error that shows no URL or secret', (env, expected) => {
    const message = inputErrorFrom(() => load(env));
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/SECRET"|SIEMSECRET|TICKETSSECRET|KEYSECRET|short-SECRET/);
  });
});
