// Covers the ledger keys of source alerts: written and read back without regular expressions, other keys refused.
import { parseSourceAlertKey, sourceAlertKey, type SourceAlertKey } from '../../src/sources/source-alerts';

describe('source alert keys', () => {
  const keys: SourceAlertKey[] = [
    { type: 'invalid', state: 'invalid', since: 1_800_000_000_000 },
    { type: 'invalid', state: 'assignedToExternalMDM', since: 0 },
    { type: 'source-stale', source: 'folder' },
    { type: 'source-recovered', source: 'intune:contoso' },
  ];

  it.each(keys)('reads back %j as written', (key) => {
    expect(parseSourceAlertKey(sourceAlertKey(key))).toEqual(key);
  });

  it.each(['t30', 'expired', 'expired+7', 'renewed', 'invalid:nonsense:1', 'invalid:invalid:x', 'source-stale:'])('is not a source alert: %s', (text) => {
    expect(parseSourceAlertKey(text)).toBeNull();
  });
});
