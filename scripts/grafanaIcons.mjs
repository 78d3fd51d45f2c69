/**
 * @grafana/ui's icons, answered the way Grafana's server answers them, for the local servers (the
 * playground and the flame graph bench). Grafana loads each icon once; a 404 would be fetched
 * again at every mount of every Icon (react-inlinesvg caches only what loaded).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where @grafana/ui asks for an icon (getIconRoot): only plain names, so no path can climb out. */
const ICON_PATH = /^\/public\/build\/img\/icons\/([a-z]+)\/([a-z0-9-]+)\.svg$/;

/**
 * @grafana/ui ships only the icons Grafana preloads; Grafana's server has the rest. A neutral square
 * stands in for those, so pages look whole and log no failed request.
 */
const MISSING_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="5" y="5" width="14" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2"/></svg>';

/** The SVG to answer for a URL path, or undefined when the path is not an icon's. */
export function grafanaIcon(root, urlPath) {
  const m = ICON_PATH.exec(urlPath);
  if (!m) {
    return undefined;
  }
  const file = join(root, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons', m[1], `${m[2]}.svg`);
  return existsSync(file) ? readFileSync(file) : MISSING_ICON;
}
