// Parsing token fields (name, kind, email list, Slack channel, thresholds), with one-line errors for bad values.
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import { inputErrorFrom } from '../support/input-error';
import { parseEmailList, parseKind, parseSlackChannel, parseThresholds, parseTokenName } from '../../src/domain/token-fields';

const rejection = inputErrorFrom;

describe('token fields', () => {
  it('reads thresholds as unique whole days, largest first', () => {
    expect(parseThresholds('7, 60,30', '--thresholds')).toEqual([60, 30, 7]);
    expect(parseThresholds('1', 'x')).toEqual([1]);
  });

  it.each(['', '0', '-1', '60,60', 'sixty', '3651', '1.5', '60,,7'])('refuses thresholds %j naming the option', (value) => {
    expect(rejection(() => parseThresholds(value, '--thresholds'))).toMatch(/^--thresholds: /);
  });

  it('returns sorted thresholds in range or throws an InputError, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.integer({ min: -5, max: 4000 })).map((n) => n.join(','))), (text) => {
        try {
          const days = parseThresholds(text, 'x');
          expect(days.length).toBeGreaterThan(0);
          expect(days.every((d) => Number.isInteger(d) && d >= 1 && d <= 3650)).toBe(true);
          expect([...days].sort((a, b) => b - a)).toEqual(days);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads comma-separated email addresses and drops duplicates', () => {
    expect(parseEmailList('a@x.test, b@y.test,a@x.test', '--email')).toEqual(['a@x.test', 'b@y.test']);
  });

  it.each(['', 'not an address', 'a@', '<a@x.test>', 'a@x.test,b'])('refuses the email list %j', (value) => {
    expect(rejection(() => parseEmailList(value, '--email'))).toMatch(/^--email: /);
  });

  it('reads Slack channel names and IDs and refuses anything else', () => {
    expect(parseSlackChannel('#mdm-alerts', 'x')).toBe('#mdm-alerts');
    expect(parseSlackChannel('C0123ABCD', 'x')).toBe('C0123ABCD');
    expect(rejection(() => parseSlackChannel('#Has Spaces', '--slack-channel'))).toMatch(/^--slack-channel: .*Slack channel/);
  });

  it('knows the token kinds', () => {
    expect(parseKind('VPP', 'x')).toBe('vpp');
    expect(rejection(() => parseKind('pkcs12', '--kind'))).toMatch(/expected one of vpp, apns, ade/);
  });

  it('refuses empty, multi-line and overlong names', () => {
    expect(parseTokenName('  Acme Main ', 'x')).toBe('Acme Main');
    expect(rejection(() => parseTokenName('  ', '--name'))).toMatch(/empty/);
    expect(rejection(() => parseTokenName('a\nb', '--name'))).toMatch(/line break/);
    expect(rejection(() => parseTokenName('x'.repeat(201), '--name'))).toMatch(/at most 200/);
  });
});
