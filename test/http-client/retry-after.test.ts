// Reading a server's Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as channels and sources both do.
import { parseRetryAfter } from '../../src/http-client/retry-after';

const NOW = Date.parse('2026-11-30T08:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds as given', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('turns an HTTP-date into the seconds left until it, rounded up', () => {
    expect(parseRetryAfter('Mon, 30 Nov 2026 08:01:30 GMT', NOW)).toBe(90);
    expect(parseRetryAfter('Mon, 30 Nov 2026 08:00:00 GMT', NOW + 1)).toBe(0);
  });

  it('never asks to wait a negative time for a date already past', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 08:00:00 GMT', NOW)).toBe(0);
  });

  it('says nothing when the header is absent, empty or unreadable', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('  ', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});
