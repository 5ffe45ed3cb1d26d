// Covers the ledger keys of source alerts: written and read back without regular expressions, other keys refused.
import { alertKey } from '../../src/domain/alert';
import { parseSourceAlertKey, type SourceAlertKey } from '../../src/sources/source-alerts';

describe('source alert keys', () => {
  const keys: SourceAlertKey[] = [
    { kind: 'invalid', state: 'invalid', since: 1_800_000_000_000 },
    { kind: 'invalid', state: 'assignedToExternalMDM', since: 0 },
    { kind: 'source-stale', source: 'folder' },
    { kind: 'source-recovered', source: 'intune:contoso' },
  ];

  it.each(keys)('reads back %j as written', (key) => {
    expect(parseSourceAlertKey(alertKey(key))).toEqual(key);
  });

  it.each(['t30', 'expired', 'expired+7', 'renewed', 'invalid:nonsense:1', 'invalid:invalid:x', 'source-stale:'])('is not a source alert: %s', (text) => {
    expect(parseSourceAlertKey(text)).toBeNull();
  });
});
