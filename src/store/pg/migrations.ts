import { schemaV1 } from '../schema-v1.js';

// Versioned schema for the PostgreSQL store; the schema_migrations table records how far a database
// has come. Text columns that are compared or ordered use the "C" collation (see schema-v1.ts).
export const PG_MIGRATIONS: readonly string[] = [schemaV1('pg')];
