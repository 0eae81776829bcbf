/**
 * A path pattern as a regular expression: `*` stands for any characters but `/` (none too), `**` for
 * any characters at all; everything else stands for itself. `/v1/people/*` matches `/v1/people/me`
 * and `/v1/people/`, not `/v1/people`.
 */
export function pathGlob(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
