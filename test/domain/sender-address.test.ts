// undeliverableSender: which sender addresses many relays refuse (a warning in doctor), and which look fine.
import { senderAddress, undeliverableSender } from '../../src/domain/sender-address';

describe('undeliverableSender', () => {
  it('accepts an address of a real-looking mail domain, with or without a display name', () => {
    expect(undeliverableSender('tokenwatch <mdm-alerts@acme.com>')).toBeNull();
    expect(undeliverableSender('alerts@mail.acme.co.uk')).toBeNull();
    expect(senderAddress('"Token Watch" <alerts@acme.com>')).toBe('alerts@acme.com');
  });

  it.each([
    ['tokenwatch <tokenwatch@localhost>', 'its domain localhost exists only on a local network'],
    ['tokenwatch@mdm-01.local', 'its domain mdm-01.local exists only on a local network'],
    ['tokenwatch@box.localdomain', 'its domain box.localdomain exists only on a local network'],
    ['tokenwatch@mdm-01', 'its domain mdm-01 is a bare host name, not a mail domain'],
    ['tokenwatch@10.0.0.5', 'its domain 10.0.0.5 is an IP address'],
    ['tokenwatch@[10.0.0.5]', 'its domain [10.0.0.5] is an IP address'],
    ['tokenwatch', '"tokenwatch" is not an email address'],
  ])('warns about %s', (from, problem) => {
    expect(undeliverableSender(from)).toBe(problem);
  });
});
