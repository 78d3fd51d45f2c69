/**
 * Extends the generated webpack config (see .config/README.md, "extend the webpack config").
 *
 * `node.global: false`: protobufjs mentions Node's `global`, and webpack would otherwise add its
 * global-object shim, which calls `new Function("return this")` — refused under Grafana's strict CSP
 * and by the plugin validator. In the browser protobufjs already falls back to `window`.
 */
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return { ...base, node: { ...(typeof base.node === 'object' ? base.node : {}), global: false } };
};

export default config;
