/**
 * Throws unless a database's schema `version` is at least `latest` (the number of migrations this code
 * has): an older schema is not ready; a newer one (another instance already upgraded it) is.
 */
export function assertSchemaUpToDate(version: number, latest: number): void {
  if (version < latest) {
    throw new Error(`The database schema is at version ${version}, not ${latest}.`);
  }
}
