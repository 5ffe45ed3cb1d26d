// The delivery budget on its own, with a monotonic clock the test moves by hand.
import { startDeliveryBudget } from '../../src/engine/delivery-budget';

describe('the delivery budget', () => {
  it('is spent once its seconds have passed on the monotonic clock, not before', () => {
    let nowMs = 10_000;
    const budget = startDeliveryBudget(2, () => nowMs);
    expect(budget.isSpent()).toBe(false);
    nowMs += 1999;
    expect(budget.isSpent()).toBe(false);
    nowMs += 1;
    expect(budget.isSpent()).toBe(true);
  });

  it('is never spent when no budget is set', () => {
    let nowMs = 0;
    const budget = startDeliveryBudget(undefined, () => nowMs);
    nowMs += 365 * 86_400_000;
    expect(budget.isSpent()).toBe(false);
  });
});
