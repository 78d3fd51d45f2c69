/** @jest-environment node */
import { halvesLayout, SIDE_BY_SIDE_MIN_WIDTH } from './layout';

describe('halvesLayout', () => {
  it('puts the halves side by side when wide and stacks them when narrow', () => {
    expect(halvesLayout('auto', SIDE_BY_SIDE_MIN_WIDTH)).toEqual({ direction: 'row', showProfile: true, showGc: true });
    expect(halvesLayout('auto', SIDE_BY_SIDE_MIN_WIDTH - 1)).toEqual({ direction: 'column', showProfile: true, showGc: true });
  });

  it('follows an explicit layout whatever the width', () => {
    expect(halvesLayout('side-by-side', 300).direction).toBe('row');
    expect(halvesLayout('stacked', 3000).direction).toBe('column');
    expect(halvesLayout('flamegraph-only', 3000)).toMatchObject({ showProfile: true, showGc: false });
    expect(halvesLayout('gc-only', 3000)).toMatchObject({ showProfile: false, showGc: true });
  });
});
