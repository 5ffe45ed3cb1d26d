// Configuration: defaults, the file and environment layers, secret files, one-line errors per bad value, and the views built from it.
import fs from 'node:fs';
import path from 'node:path';
import { describeConfig, loadConfig, sendWindowPolicy } from '../../src/config';
import { configuredChannels } from '../../src/notify/channels';
import { InputError } from '../../src/errors';
import { inputErrorFrom } from '../support/input-error';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  const load = (env: Record<string, string> = {}, configFile?: string) => loadConfig({ env, cwd: dir, configFile });

  it('has working defaults with no file and no environment', () => {
    const config = load({ TOKENWATCH_TZ: 'Europe/Paris' });
    expect(config).toMatchObject({
      dbPath: path.join(dir, 'data/tokenwatch.db'),
      zone: 'Europe/Paris',
      schedule: '0 9 * * *',
      thresholds: [60, 30, 7],
      expiredRepeatDays: 7,
      smtpUrl: null,
      slackToken: null,
      mailTo: [],
      slackApiUrl: 'https://slack.com/api/',
    });
    expect(configuredChannels(config)).toEqual({ email: false, slack: false, teams: false, webhook: false, preview: true });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the default config file and lets the environment override it', () => {
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config/tokenwatch.json'), JSON.stringify({ timezone: 'America/New_York', thresholds: [90, 10], mailTo: ['a@x.test'] }));
    const config = load({ TOKENWATCH_THRESHOLDS: '45,5' });
    expect(config.zone).toBe('America/New_York');
    expect(config.thresholds).toEqual([45, 5]);
    expect(config.mailTo).toEqual(['a@x.test']);
  });

  it('reads the file named by --config over TOKENWATCH_CONFIG', () => {
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ schedule: '*/5 * * * *' }));
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ schedule: '0 8 * * 1' }));
    expect(load({ TOKENWATCH_CONFIG: 'b.json' }).schedule).toBe('0 8 * * 1');
    expect(load({ TOKENWATCH_CONFIG: 'b.json' }, 'a.json').schedule).toBe('*/5 * * * *');
  });

  it('fails when an explicitly named config file is missing', () => {
    expect(() => load({}, 'missing.json')).toThrow(/missing\.json: cannot read the config file \(ENOENT/);
  });

  it('reports every bad value on its own line naming the key and what was expected', () => {
    let error: unknown;
    try {
      load({
        TOKENWATCH_TZ: 'Nowhere/Land',
        TOKENWATCH_SCHEDULE: 'every day',
        TOKENWATCH_THRESHOLDS: '60,-1',
        TOKENWATCH_SMTP_URL: 'http://mail',
        TOKENWATCH_SLACK_API_URL: 'ftp://x',
        TOKENWATCH_EXPIRED_REPEAT_DAYS: 'weekly',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(6);
    for (const key of ['TOKENWATCH_TZ', 'TOKENWATCH_SCHEDULE', 'TOKENWATCH_THRESHOLDS', 'TOKENWATCH_SMTP_URL', 'TOKENWATCH_SLACK_API_URL', 'TOKENWATCH_EXPIRED_REPEAT_DAYS']) {
      expect(lines.some((line) => line.startsWith(`${key}:`) && /expected/.test(line))).toBe(true);
    }
  });

  it('rejects unknown keys and secrets in the config file', () => {
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ timezon: 'UTC', slackToken: 'xoxb-1' }));
    expect(() => load({}, 'c.json')).toThrow(/unknown setting "timezon"[\s\S]*"slackToken" is a secret/);
  });

  it('reads secrets from files named by _FILE variables', () => {
    fs.writeFileSync(path.join(dir, 'slack'), 'xoxb-from-file\n');
    fs.writeFileSync(path.join(dir, 'smtp'), 'smtp://user:pa%24%24word@mail.test:587\n');
    const config = load({ SLACK_BOT_TOKEN_FILE: path.join(dir, 'slack'), TOKENWATCH_SMTP_URL_FILE: path.join(dir, 'smtp') });
    expect(config.slackToken).toBe('xoxb-from-file');
    expect(config.smtpUrl).toBe('smtp://user:pa%24%24word@mail.test:587');
    expect(config.secrets).toEqual(expect.arrayContaining(['xoxb-from-file', 'pa%24%24word', 'pa$$word']));
  });

  it('shows secrets only as set or not set', () => {
    const config = load({ SLACK_BOT_TOKEN: 'xoxb-secret-123', TOKENWATCH_SMTP_URL: 'smtp://u:hunter22@mail.test' });
    const shown = JSON.stringify(describeConfig(config));
    expect(shown).not.toContain('xoxb-secret-123');
    expect(shown).not.toContain('hunter22');
    expect(shown).toContain('"slackToken":"set"');
  });

  it('bounds one send and one delivery pass by default, and reads both bounds from the file or the environment (issue 8)', () => {
    expect(load()).toMatchObject({ sendTimeoutSeconds: 30, deliveryBudgetSeconds: 300 });
    fs.writeFileSync(path.join(dir, 'bounds.json'), JSON.stringify({ sendTimeoutSeconds: 5, deliveryBudgetSeconds: 120 }));
    expect(load({}, 'bounds.json')).toMatchObject({ sendTimeoutSeconds: 5, deliveryBudgetSeconds: 120 });
    expect(load({ TOKENWATCH_SEND_TIMEOUT_SECONDS: '12', TOKENWATCH_DELIVERY_BUDGET_SECONDS: '60' }, 'bounds.json')).toMatchObject({
      sendTimeoutSeconds: 12,
      deliveryBudgetSeconds: 60,
    });
  });

  it.each([
    ['TOKENWATCH_SEND_TIMEOUT_SECONDS', '0', 'from 1 to 600'],
    ['TOKENWATCH_SEND_TIMEOUT_SECONDS', '601', 'from 1 to 600'],
    ['TOKENWATCH_SEND_TIMEOUT_SECONDS', '2.5', 'from 1 to 600'],
    ['TOKENWATCH_SEND_TIMEOUT_SECONDS', '30s', 'from 1 to 600'],
    ['TOKENWATCH_DELIVERY_BUDGET_SECONDS', '0', 'from 1 to 86400'],
    ['TOKENWATCH_DELIVERY_BUDGET_SECONDS', '-5', 'from 1 to 86400'],
    ['TOKENWATCH_DELIVERY_BUDGET_SECONDS', 'ten minutes', 'from 1 to 86400'],
  ])('refuses %s=%s with one line naming it and what was expected', (variable, value, range) => {
    let error: unknown;
    try {
      load({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${variable}: "${value}" is not valid (expected a whole number ${range})`);
  });

  it('names the file key when a bound in the config file is bad', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ sendTimeoutSeconds: 0 }));
    expect(() => load({}, 'bad.json')).toThrow(/^bad\.json: sendTimeoutSeconds: "0" is not valid \(expected a whole number from 1 to 600\)$/);
  });

  it('accepts a seconds-level cron schedule', () => {
    expect(load({ TOKENWATCH_SCHEDULE: '*/2 * * * * *' }).schedule).toBe('*/2 * * * * *');
  });

  describe('digests and the send window', () => {
    it('digests more than 3 reminders and sends at any time by default', () => {
      const config = load();
      expect(config.digestMin).toBe(3);
      expect(config.sendWindow).toBeNull();
      expect(sendWindowPolicy(config)).toBeNull();
      expect(describeConfig(config)).toMatchObject({ digestMin: 3, sendWindow: 'any time', sendDays: 'mon,tue,wed,thu,fri,sat,sun', sendWindowBypass: 'expired,smallest' });
    });

    it('reads the window, its days and what bypasses it from the environment', () => {
      const config = load({
        TOKENWATCH_DIGEST_MIN: '0',
        TOKENWATCH_SEND_WINDOW: '08:00-18:00',
        TOKENWATCH_SEND_DAYS: 'mon-fri',
        TOKENWATCH_SEND_WINDOW_BYPASS: 'none',
      });
      expect(config.digestMin).toBe(0);
      expect(sendWindowPolicy(config)).toEqual({
        window: { hours: { startMinute: 480, endMinute: 1080 }, days: [1, 2, 3, 4, 5] },
        bypass: { expired: false, renewed: false, smallest: false, thresholds: [] },
      });
      expect(describeConfig(config)).toMatchObject({ sendWindow: '08:00-18:00', sendDays: 'mon,tue,wed,thu,fri', sendWindowBypass: 'none' });
    });

    it('reads them from the config file, lists included, and lets the environment win', () => {
      fs.writeFileSync(
        path.join(dir, 'w.json'),
        JSON.stringify({ digestMin: 10, sendWindow: '22:00-06:00', sendDays: ['sat', 'sun'], sendWindowBypass: ['expired', 7] }),
      );
      const config = load({ TOKENWATCH_DIGEST_MIN: '5' }, 'w.json');
      expect(config.digestMin).toBe(5);
      expect(sendWindowPolicy(config)).toEqual({
        window: { hours: { startMinute: 1320, endMinute: 360 }, days: [6, 7] },
        bypass: { expired: true, renewed: false, smallest: false, thresholds: [7] },
      });
    });

    it('makes days alone a whole-day window on those days', () => {
      expect(sendWindowPolicy(load({ TOKENWATCH_SEND_DAYS: 'mon-fri' }))?.window).toEqual({ hours: { startMinute: 0, endMinute: 1440 }, days: [1, 2, 3, 4, 5] });
    });

    it('refuses bad values with one line each naming the setting and what was expected', () => {
      let error: unknown;
      try {
        load({
          TOKENWATCH_DIGEST_MIN: '-1',
          TOKENWATCH_SEND_WINDOW: '8h-18h',
          TOKENWATCH_SEND_DAYS: 'weekdays',
          TOKENWATCH_SEND_WINDOW_BYPASS: 'urgent',
        });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      const lines = (error as Error).message.split('\n');
      expect(lines).toHaveLength(4);
      for (const key of ['TOKENWATCH_DIGEST_MIN', 'TOKENWATCH_SEND_WINDOW', 'TOKENWATCH_SEND_DAYS', 'TOKENWATCH_SEND_WINDOW_BYPASS']) {
        expect(lines.some((line) => line.startsWith(`${key}:`) && /expected/.test(line))).toBe(true);
      }
    });

    it('names the config file key of a bad value from the file', () => {
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ sendWindow: '18:00-18:00' }));
      expect(() => load({}, 'bad.json')).toThrow(/^bad\.json: sendWindow: "18:00-18:00" starts where it ends \(expected/);
    });
  });
  it('serves HTTP on 127.0.0.1:9412 by default, on the address TOKENWATCH_HTTP or the file key "http" names, and not at all when "off"', () => {
    expect(load().httpAddress).toEqual({ host: '127.0.0.1', port: 9412 });
    expect(load({ TOKENWATCH_HTTP: '0.0.0.0:8080' }).httpAddress).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(load({ TOKENWATCH_HTTP: '[::1]:0' }).httpAddress).toEqual({ host: '::1', port: 0 });
    expect(load({ TOKENWATCH_HTTP: 'OFF' }).httpAddress).toBeNull();
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ http: 'localhost:9000' }));
    expect(load({}, 'c.json').httpAddress).toEqual({ host: 'localhost', port: 9000 });
  });

  it.each(['9412', 'localhost', 'http://127.0.0.1:9412', '127.0.0.1:65536', '127.0.0.1:', ':9412', 'a b:1', '[zz]:1', '-x:1', '127.0.0.1:9412/'])(
    'refuses the listen address %j in one line naming TOKENWATCH_HTTP',
    (value) => {
      const message = inputErrorFrom(() => load({ TOKENWATCH_HTTP: value }));
      expect(message).toMatch(/^TOKENWATCH_HTTP: .* is not a listen address \(expected HOST:PORT/);
    },
  );
});
