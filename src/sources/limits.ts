/**
 * Caps that keep a dashboard responsive whatever its data sources send. Importers enforce the
 * value cap; the panel applies the size caps (see `capTree` in src/transforms/cap.ts) before a
 * tree reaches the views, and passes `maxDecompressedBytes` to decodePprof.
 */

/**
 * Largest root total an importer accepts. Far above any real profile (2^63 ns is 292 years), and
 * far enough below Number.MAX_VALUE (1.8e308) that the transforms' own sums, in whatever order
 * they add, stay finite.
 */
export const MAX_TOTAL_VALUE = 1e300;

export interface ProfileLimits {
  /** Nodes a tree may keep; the rest are summed into `other` nodes (Pyroscope's maxNodes). */
  maxNodes: number;
  /** Deepest stack shown; deeper frames are summed into their ancestor at this depth. */
  maxDepth: number;
  /** Samples a pprof profile may hold before the panel refuses it. */
  maxSamples: number;
  /** Decompressed size of a pprof profile (decodePprof's maxDecompressedBytes). */
  maxDecompressedBytes: number;
  /** Time one pprof profile may take to decode in the background before it is stopped. */
  decodeTimeBudgetMs: number;
}

/**
 * What the panel applies. The flame graph draws a million nodes in about 200 ms and redraws them
 * within a frame, so that is the node cap (64 times Pyroscope's default maxNodes); 10,000 frames
 * deep is twice the deepest stack the browser tests scroll through. 64 MiB decompressed is 25 times
 * the largest real profile in the fixtures (pprof-large: 2.4 MB, 20k samples); a gzip bomb is
 * refused once that much is inflated (src/sources/limits.test.ts). Within that cap a profile decodes in
 * about 2 s through the browsers' inflater on this project's 2-core CI machine (1M samples, 25 MB
 * gzipped); the 30 s budget leaves room for slower machines and still ends a decode that runs away.
 */
export const DEFAULT_LIMITS: ProfileLimits = {
  maxNodes: 1_000_000,
  maxDepth: 10_000,
  maxSamples: 5_000_000,
  maxDecompressedBytes: 64 * 1024 * 1024,
  decodeTimeBudgetMs: 30_000,
};
