// Versioned schema for the PostgreSQL store. Text columns that are compared or ordered use the "C"
// collation, so that lists are ordered byte-wise exactly as on SQLite and cursors mean the same.
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orgs (
    id TEXT COLLATE "C" PRIMARY KEY,
    display_name TEXT NOT NULL,
    position BIGSERIAL
  );
  CREATE TABLE org_manages (
    manager_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    managed_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (manager_id, managed_id)
  );
  CREATE TABLE people (
    id TEXT COLLATE "C" PRIMARY KEY,
    org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    type TEXT NOT NULL,
    emails TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_lower TEXT COLLATE "C" NOT NULL,
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
    last_activity BIGINT,
    status_sharing INTEGER NOT NULL,
    created BIGINT NOT NULL,
    last_modified BIGINT NOT NULL,
    position BIGSERIAL
  );
  CREATE INDEX people_org_name ON people(org_id, display_name_lower, id);
  CREATE INDEX people_name ON people(display_name_lower, id);
  CREATE TABLE person_emails (
    email_lower TEXT COLLATE "C" PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people(id) ON DELETE CASCADE
  );
  CREATE INDEX person_emails_person ON person_emails(person_id);
  CREATE TABLE tokens (
    hash TEXT COLLATE "C" PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at BIGINT,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX tokens_person ON tokens(person_id);
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];
