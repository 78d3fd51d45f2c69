/** See grafanaIcons.mjs. */
export function grafanaIcon(root: string, urlPath: string): Buffer | string | undefined;
