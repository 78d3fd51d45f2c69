/**
 * @grafana/ui's CustomScrollbar (in the peer's header and table) default-imports the CommonJS
 * module react-custom-scrollbars-2 from an .mjs file; esbuild then hands it the whole exports
 * object (Node's rule), where webpack, as in Grafana, hands it `exports.default`. Importing it from
 * this .ts file gives webpack's behaviour.
 */
export { default } from 'react-custom-scrollbars-2/lib/index.js';
