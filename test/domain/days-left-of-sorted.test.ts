// Days left for many expiries at once agree with daysLeft one by one (property test).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { daysLeft, daysLeftOfSorted } from '../../src/domain/dates';

describe('days left of many expiries at once', () => {
  it('agrees with daysLeft token by token, sorted or not, across zones and DST changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -30 * 24 * 60, max: 400 * 24 * 60 }), { maxLength: 60 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Pacific/Apia'),
        (offsets, isSorted, nowMinutes, zone) => {
          const now = DateTime.fromISO('2027-01-01T00:00:00Z').plus({ minutes: nowMinutes });
          const expiries = (isSorted ? [...offsets].sort((a, b) => a - b) : offsets).map((m) => now.plus({ minutes: m }));
          expect(daysLeftOfSorted(expiries, now, zone)).toEqual(expiries.map((e) => daysLeft(e, now, zone)));
        },
      ),
    );
  });
});
