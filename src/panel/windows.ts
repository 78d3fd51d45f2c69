import { BaselineMode } from '../options';

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * The baseline a selected window is compared with: the equally long window just before it, or the
 * rest of the panel's range (the parts before and after the selection).
 */
export function baselineWindows(selection: TimeWindow, range: TimeWindow, mode: BaselineMode): TimeWindow[] {
  if (mode === 'previous-window') {
    const length = selection.toMs - selection.fromMs;
    return [{ fromMs: selection.fromMs - length, toMs: selection.fromMs }];
  }
  const out: TimeWindow[] = [];
  if (selection.fromMs > range.fromMs) {
    out.push({ fromMs: range.fromMs, toMs: selection.fromMs });
  }
  if (selection.toMs < range.toMs) {
    out.push({ fromMs: selection.toMs, toMs: range.toMs });
  }
  return out;
}

/** Windows of different total length are compared as shares of their own totals. */
export function needsNormalizing(selection: TimeWindow, baseline: TimeWindow[]): boolean {
  const length = baseline.reduce((s, w) => s + (w.toMs - w.fromMs), 0);
  return Math.abs(length - (selection.toMs - selection.fromMs)) > 1;
}
