/** @jest-environment node */
import { baselineWindows, needsNormalizing } from './windows';

describe('baselineWindows', () => {
  const range = { fromMs: 0, toMs: 18_000 };
  const incident = { fromMs: 6_000, toMs: 12_000 };

  it('takes the equally long window just before the selection', () => {
    const base = baselineWindows(incident, range, 'previous-window');
    expect(base).toEqual([{ fromMs: 0, toMs: 6_000 }]);
    expect(needsNormalizing(incident, base)).toBe(false);
  });

  it('takes the rest of the range on both sides, which then needs normalizing', () => {
    const base = baselineWindows(incident, range, 'rest-of-range');
    expect(base).toEqual([
      { fromMs: 0, toMs: 6_000 },
      { fromMs: 12_000, toMs: 18_000 },
    ]);
    expect(needsNormalizing(incident, base)).toBe(true);
  });

  it('has no rest when the selection covers the whole range', () => {
    expect(baselineWindows(range, range, 'rest-of-range')).toEqual([]);
  });
});
