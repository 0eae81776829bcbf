// Versioned schema for the SQLite store; PRAGMA user_version records how far a database has come.
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL
  );
  CREATE TABLE org_manages (
    manager_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    managed_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (manager_id, managed_id)
  );
  CREATE TABLE people (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    type TEXT NOT NULL,
    emails TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_lower TEXT NOT NULL,
    nick_name TEXT,
    first_name TEXT,
    last_name TEXT,
    avatar TEXT,
    phone_numbers TEXT NOT NULL,
    extension TEXT,
    location_id TEXT,
    roles TEXT NOT NULL,
    licenses TEXT NOT NULL,
    department TEXT,
    manager TEXT,
    manager_id TEXT,
    title TEXT,
    addresses TEXT NOT NULL,
    timezone TEXT,
    site_urls TEXT NOT NULL,
    sip_addresses TEXT NOT NULL,
    xmpp_federation_jid TEXT,
    invite_pending INTEGER NOT NULL,
    login_enabled INTEGER NOT NULL,
    presence_state TEXT,
    last_activity INTEGER,
    status_sharing INTEGER NOT NULL,
    created INTEGER NOT NULL,
    last_modified INTEGER NOT NULL
  );
  -- Lists are ordered by (display_name_lower, id): the first index serves one org's whole list, the
  -- second a displayName prefix search across the caller's orgs.
  CREATE INDEX people_org_name ON people(org_id, display_name_lower, id);
  CREATE INDEX people_name ON people(display_name_lower, id);
  CREATE TABLE person_emails (
    email_lower TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE
  );
  CREATE INDEX person_emails_person ON person_emails(person_id);
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX tokens_person ON tokens(person_id);
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];
