// The first version of the schema, declared once for both stores; each dialect writes it as its first
// migration (sqlite/migrations.ts, pg/migrations.ts). Frozen: a change to the schema is a new migration
// in each dialect, never an edit here, since databases already at version 1 would not see it.

/**
 * `key`: text that is compared or ordered (PostgreSQL gives it the "C" collation, so that lists are
 * ordered byte-wise exactly as on SQLite and cursors mean the same); `ms`: milliseconds since the epoch.
 */
type ColumnKind = 'key' | 'text' | 'int' | 'ms';

interface Table {
  name: string;
  /** Name, kind and what follows the type (`NOT NULL`, `PRIMARY KEY`, a reference). */
  columns: [name: string, kind: ColumnKind, constraints?: string][];
  /** PRIMARY KEY over several columns. */
  primaryKey?: string;
  /** PostgreSQL: a BIGSERIAL `position`, the order of insertion (SQLite has its rowid). */
  position?: boolean;
  /** Secondary indexes: name and columns. */
  indexes?: [name: string, columns: string][];
}

const NN = 'NOT NULL';

const TABLES: readonly Table[] = [
  {
    name: 'orgs',
    columns: [
      ['id', 'key', 'PRIMARY KEY'],
      ['display_name', 'text', NN],
    ],
    position: true,
  },
  {
    name: 'org_manages',
    columns: [
      ['manager_id', 'key', 'NOT NULL REFERENCES orgs(id) ON DELETE CASCADE'],
      ['managed_id', 'key', 'NOT NULL REFERENCES orgs(id) ON DELETE CASCADE'],
    ],
    primaryKey: 'manager_id, managed_id',
  },
  {
    name: 'people',
    columns: [
      ['id', 'key', 'PRIMARY KEY'],
      ['org_id', 'key', 'NOT NULL REFERENCES orgs(id)'],
      ['type', 'text', NN],
      ['emails', 'text', NN],
      ['display_name', 'text', NN],
      ['display_name_lower', 'key', NN],
      ['nick_name', 'text'],
      ['first_name', 'text'],
      ['last_name', 'text'],
      ['avatar', 'text'],
      ['phone_numbers', 'text', NN],
      ['extension', 'text'],
      ['location_id', 'text'],
      ['roles', 'text', NN],
      ['licenses', 'text', NN],
      ['department', 'text'],
      ['manager', 'text'],
      ['manager_id', 'text'],
      ['title', 'text'],
      ['addresses', 'text', NN],
      ['timezone', 'text'],
      ['site_urls', 'text', NN],
      ['sip_addresses', 'text', NN],
      ['xmpp_federation_jid', 'text'],
      ['invite_pending', 'int', NN],
      ['login_enabled', 'int', NN],
      ['presence_state', 'text'],
      ['last_activity', 'ms'],
      ['status_sharing', 'int', NN],
      ['created', 'ms', NN],
      ['last_modified', 'ms', NN],
    ],
    position: true,
    // Lists are ordered by (display_name_lower, id): the first index serves one org's whole list, the
    // second a displayName prefix search across the caller's orgs.
    indexes: [
      ['people_org_name', 'org_id, display_name_lower, id'],
      ['people_name', 'display_name_lower, id'],
    ],
  },
  {
    name: 'person_emails',
    columns: [
      ['email_lower', 'key', 'PRIMARY KEY'],
      ['person_id', 'key', 'NOT NULL REFERENCES people(id) ON DELETE CASCADE'],
    ],
    indexes: [['person_emails_person', 'person_id']],
  },
  {
    name: 'tokens',
    columns: [
      ['hash', 'key', 'PRIMARY KEY'],
      ['person_id', 'key', 'NOT NULL REFERENCES people(id) ON DELETE CASCADE'],
      ['expires_at', 'ms'],
      ['created_at', 'ms', NN],
    ],
    indexes: [['tokens_person', 'person_id']],
  },
  {
    name: 'meta',
    columns: [
      ['key', 'text', 'PRIMARY KEY'],
      ['value', 'text', NN],
    ],
  },
];

export type Dialect = 'sqlite' | 'pg';

const TYPES: Record<Dialect, Record<ColumnKind, string>> = {
  sqlite: { key: 'TEXT', text: 'TEXT', int: 'INTEGER', ms: 'INTEGER' },
  pg: { key: 'TEXT COLLATE "C"', text: 'TEXT', int: 'INTEGER', ms: 'BIGINT' },
};

/** The statements that create version 1 of the schema in `dialect`. */
export function schemaV1(dialect: Dialect): string {
  return TABLES.map((table) => {
    const lines = table.columns.map(([name, kind, constraints]) =>
      [name, TYPES[dialect][kind], constraints].filter(Boolean).join(' '),
    );
    if (table.primaryKey) lines.push(`PRIMARY KEY (${table.primaryKey})`);
    if (table.position && dialect === 'pg') lines.push('position BIGSERIAL');
    const create = `CREATE TABLE ${table.name} (\n  ${lines.join(',\n  ')}\n);`;
    const indexes = (table.indexes ?? []).map(
      ([name, columns]) => `CREATE INDEX ${name} ON ${table.name}(${columns});`,
    );
    return [create, ...indexes].join('\n');
  }).join('\n');
}
