import { PanelLayout } from '../options';

/** Below this width two halves side by side are too cramped to read. */
export const SIDE_BY_SIDE_MIN_WIDTH = 900;

export interface HalvesLayout {
  direction: 'row' | 'column';
  showProfile: boolean;
  showGc: boolean;
}

export function halvesLayout(layout: PanelLayout, width: number): HalvesLayout {
  switch (layout) {
    case 'flamegraph-only':
      return { direction: 'row', showProfile: true, showGc: false };
    case 'gc-only':
      return { direction: 'row', showProfile: false, showGc: true };
    case 'side-by-side':
      return { direction: 'row', showProfile: true, showGc: true };
    case 'stacked':
      return { direction: 'column', showProfile: true, showGc: true };
    default:
      return { direction: width >= SIDE_BY_SIDE_MIN_WIDTH ? 'row' : 'column', showProfile: true, showGc: true };
  }
}
