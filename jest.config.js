// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const [swc] = Object.values(base.transform);

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // @grafana/data pulls in d3-color/d3-interpolate, which ship only `.mjs` ESM; the scaffold's
  // transform matches .js/.ts only, so any suite using @grafana/data at runtime failed to parse.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
};
