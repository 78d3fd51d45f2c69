/**
 * Extends the generated webpack config (see .config/README.md, "extend the webpack config").
 *
 * `node.global: false`: protobufjs mentions Node's `global`, and webpack would otherwise add its
 * global-object shim, which calls `new Function("return this")` — refused under Grafana's strict CSP
 * and by the plugin validator. In the browser protobufjs already falls back to `window`.
 *
 * The pprof decode worker (src/sources/pprof/decode.worker.ts) must be one self-contained script:
 * inside a worker there is neither AMD's `define` (the plugin's library type) nor the plugin's public
 * path to load further chunks from. So its entry gets the `var` library type (see the
 * webpackEntryOptions where it is created), and no module is split out of its chunk.
 */
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

export const DECODE_WORKER_CHUNK = 'pprof-decode';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    node: { ...(typeof base.node === 'object' ? base.node : {}), global: false },
    output: { ...base.output, enabledLibraryTypes: ['amd', 'var'] },
    optimization: {
      ...base.optimization,
      // webpack's default (async chunks only), minus the worker.
      splitChunks: { chunks: (chunk) => !chunk.canBeInitial() && chunk.name !== DECODE_WORKER_CHUNK },
    },
  };
};

export default config;
