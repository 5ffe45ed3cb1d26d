// Teams settings: named webhooks from the environment or a secret file, the default webhook, one-line errors that
// never show a webhook URL, and the URLs kept out of every view of the configuration.
import fs from 'node:fs';
import path from 'node:path';
import { describeConfig, loadConfig } from '../../src/config';
import { configuredChannels } from '../../src/notify/channels';
import { routesFor } from '../../src/domain/routing';
import { inputErrorFrom } from '../support/input-error';
import { makeTempDir, removeDir } from '../support/temp-dir';

const MDM = 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=MDMSECRET';
const OPS = 'https://prod-01.westeurope.logic.azure.com/workflows/def/triggers/manual/paths/invoke?sig=OPSSECRET';

describe('Teams settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));
  const load = (env: Record<string, string>) => loadConfig({ env: { TOKENWATCH_TZ: 'Europe/Paris', ...env }, cwd: dir });

  it('reads named webhooks and takes the only one as the default', () => {
    const config = load({ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM}` });
    expect(config.teamsWebhooks).toEqual([{ name: 'mdm', url: MDM }]);
    expect(config.teamsDefault).toBe('mdm');
    expect(configuredChannels(config)).toEqual({ email: false, slack: false, teams: true, webhook: false, preview: false });
  });

  it('reads webhooks from a secret file and needs TOKENWATCH_TEAMS_DEFAULT to choose among several', () => {
    fs.writeFileSync(path.join(dir, 'teams'), `mdm=${MDM}\nops=${OPS}\n`);
    const several = load({ TOKENWATCH_TEAMS_WEBHOOKS_FILE: path.join(dir, 'teams') });
    expect(several.teamsWebhooks.map((webhook) => webhook.name)).toEqual(['mdm', 'ops']);
    expect(several.teamsDefault).toBeNull();
    expect(load({ TOKENWATCH_TEAMS_WEBHOOKS_FILE: path.join(dir, 'teams'), TOKENWATCH_TEAMS_DEFAULT: 'ops' }).teamsDefault).toBe('ops');
  });

  it('routes reminders to the default webhook by name, never by URL', () => {
    const config = load({ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM},ops=${OPS}`, TOKENWATCH_TEAMS_DEFAULT: 'ops' });
    const routes = routesFor({ email: null, slackChannel: null }, { mailTo: [], slackChannel: null, teamsWebhook: config.teamsDefault }, configuredChannels(config));
    expect(routes).toEqual([{ channel: 'teams', recipient: 'ops' }]);
  });

  it('keeps the URLs secret: redacted, shown only as set', () => {
    const config = load({ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM}` });
    expect(config.secrets).toContain(MDM);
    const shown = JSON.stringify(describeConfig(config));
    expect(shown).not.toContain('MDMSECRET');
    expect(shown).toContain('"teamsWebhooks":[{"name":"mdm","url":"set"}]');
  });

  it.each([
    [{ TOKENWATCH_TEAMS_WEBHOOKS: MDM }, /TOKENWATCH_TEAMS_WEBHOOKS: entry 1 has no name/],
    [{ TOKENWATCH_TEAMS_WEBHOOKS: 'mdm=ftp://x?sig=MDMSECRET' }, /the URL of "mdm" is not an http\(s\) URL/],
    [{ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM},mdm=${OPS}` }, /"mdm" is named twice/],
    [{ TOKENWATCH_TEAMS_WEBHOOKS: `m d=${MDM}` }, /is not a webhook name/],
    [{ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM}`, TOKENWATCH_TEAMS_DEFAULT: 'ops' }, /TOKENWATCH_TEAMS_DEFAULT: "ops" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS \(expected one of: mdm\)/],
    [{ TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${MDM}`, TOKENWATCH_ESCALATE_TEAMS: 'mdm,oncall' }, /TOKENWATCH_ESCALATE_TEAMS: "oncall" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS \(expected one of: mdm\)/],
  ])('rejects %j with a one-line error that shows no URL', (env, expected) => {
    const message = inputErrorFrom(() => load(env));
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/SECRET/);
  });
});
