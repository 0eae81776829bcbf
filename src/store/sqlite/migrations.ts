import { schemaV1 } from '../schema-v1.js';

// Versioned schema for the SQLite store; PRAGMA user_version records how far a database has come.
export const SQLITE_MIGRATIONS: readonly string[] = [schemaV1('sqlite')];
