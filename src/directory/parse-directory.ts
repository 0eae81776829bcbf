import { randomUUID } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { isEmailAddress } from '../domain/email.js';
import { resolveOpaqueRef, resolveUuidRef } from '../domain/ids.js';
import { parseIsoTime } from '../lib/iso-time.js';
import type { Directory, OrgRecord, PersonRecord, TokenRecord } from '../domain/model.js';
import { displayNameOf, resolveRoleRef, UniquePersonKeys } from '../domain/person-fields.js';
import { ROLE_NAMES } from '../domain/roles.js';
import { hashToken } from '../domain/tokens.js';
import {
  DirectoryFileSchema,
  type DirectoryFile,
  type DirectoryPersonEntry,
  type DirectoryTokenEntry,
} from './directory-file-schema.js';

/** A directory file that cannot be loaded; the message names the entry and the field. */
export class DirectoryFileError extends Error {
  override name = 'DirectoryFileError';
}

/** Parses and checks a whole directory file before anything is written. */
export function parseDirectoryFile(text: string, now: number): Directory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DirectoryFileError(`Directory file is not valid JSON: ${(error as Error).message}`);
  }
  return parseDirectory(json, now);
}

// Compiled once: checking a valid file is then some ten times faster than walking it for errors.
const directoryFileCheck = TypeCompiler.Compile(DirectoryFileSchema);

export function parseDirectory(json: unknown, now: number): Directory {
  const first = directoryFileCheck.Check(json) ? undefined : Value.Errors(DirectoryFileSchema, json).First();
  if (first) throw new DirectoryFileError(`${describePath(json, first.path)}: ${describeProblem(first)}`);
  return new DirectoryReader(json as DirectoryFile, now).read();
}

/** For a value outside an enum, the value and the allowed ones; TypeBox's own words otherwise. */
function describeProblem(error: ValueError): string {
  const options = (error.schema.anyOf as { const?: unknown }[] | undefined)?.map((option) => option.const);
  if (options?.length && options.every((option) => typeof option === 'string')) {
    return `${JSON.stringify(error.value)} is not one of ${options.join(', ')}`;
  }
  return error.message;
}

/** `/people/3/phoneNumbers/0/type` → `people[3] (a@acme.test).phoneNumbers[0].type` */
function describePath(json: unknown, path: string): string {
  const parts = path.split('/').slice(1);
  let out = '';
  let node: unknown = json;
  for (const part of parts) {
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (/^\d+$/.test(part)) {
      out += `[${part}]`;
      const label = entryLabel(node);
      if (label && out.split('[').length === 2) out += ` (${label})`;
    } else {
      out += out ? `.${part}` : part;
    }
  }
  return out || 'directory file';
}

function entryLabel(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const entry = node as { id?: unknown; emails?: unknown };
  if (Array.isArray(entry.emails) && typeof entry.emails[0] === 'string') return entry.emails[0];
  return typeof entry.id === 'string' ? entry.id : undefined;
}

/**
 * Throws for a person ID, email or token seen before in the same directory, with the message that
 * names the entry (`where`): parseDirectory checks with it, and `rollcall import` when a duplicate
 * spans two batches.
 */
export class DirectoryDuplicates {
  private readonly keys = new UniquePersonKeys();

  personId(id: string, ref: string | undefined, where: string): void {
    if (!this.keys.addId(id)) fail(where, 'id', `duplicate person id "${ref}"`);
  }

  email(email: string, where: string): void {
    if (!this.keys.addEmail(email)) fail(where, 'emails', `duplicate email "${email}"`);
  }

  tokenHash(hash: string, where: string): void {
    if (!this.keys.addTokenHash(hash)) throw new DirectoryFileError(`${where}: duplicate token`);
  }
}

/** How parseDirectory names a person entry in its messages. */
export function personEntryWhere(entry: DirectoryPersonEntry, index: number): string {
  return `people[${index}] (${entry.emails[0] ?? entry.id ?? index})`;
}

class DirectoryReader {
  private readonly orgIds = new Set<string>();
  private readonly duplicates = new DirectoryDuplicates();

  constructor(
    private readonly file: DirectoryFile,
    private readonly now: number,
  ) {}

  read(): Directory {
    const orgs = this.file.orgs.map((entry, i) =>
      this.readOrgId(entry.id, `orgs[${i}] (${entry.displayName})`),
    );
    const orgRecords: OrgRecord[] = this.file.orgs.map((entry, i) => ({
      id: orgs[i] as string,
      displayName: entry.displayName,
      manages: (entry.manages ?? []).map((ref, j) =>
        this.knownOrg(ref, `orgs[${i}] (${entry.displayName}).manages[${j}]`),
      ),
    }));
    const people: PersonRecord[] = [];
    const tokens: TokenRecord[] = [];
    this.file.people.forEach((entry, i) => {
      const where = personEntryWhere(entry, i);
      const person = this.readPerson(entry, where);
      people.push(person);
      (entry.tokens ?? []).forEach((token, j) =>
        tokens.push(this.readToken(token, person.id, `${where}.tokens[${j}]`)),
      );
    });
    return { orgs: orgRecords, people, tokens };
  }

  private readOrgId(ref: string, where: string): string {
    const id = resolveUuidRef('ORGANIZATION', ref);
    if (!id) fail(where, 'id', `"${ref}" is neither a UUID nor an organization ID`);
    if (this.orgIds.has(id)) fail(where, 'id', `duplicate organization id "${ref}"`);
    this.orgIds.add(id);
    return id;
  }

  private knownOrg(ref: string, where: string): string {
    const id = resolveUuidRef('ORGANIZATION', ref);
    if (!id || !this.orgIds.has(id)) throw new DirectoryFileError(`${where}: unknown organization "${ref}"`);
    return id;
  }

  private readPerson(entry: DirectoryPersonEntry, where: string): PersonRecord {
    const id = entry.id === undefined ? randomUUID() : resolveUuidRef('PEOPLE', entry.id);
    if (!id) fail(where, 'id', `"${entry.id}" is neither a UUID nor a person ID`);
    this.duplicates.personId(id, entry.id, where);
    const orgId = this.knownOrg(entry.orgId, `${where}.orgId`);
    for (const email of entry.emails) this.claimEmail(email, where);
    const displayName = displayNameOf(entry);
    if (!displayName) fail(where, 'displayName', 'one of displayName, firstName or lastName is required');
    const created = entry.created === undefined ? this.now : parseTime(entry.created, where, 'created');
    const person: PersonRecord = {
      id,
      orgId,
      type: entry.type ?? 'person',
      emails: entry.emails,
      displayName,
      phoneNumbers: entry.phoneNumbers ?? [],
      roles: (entry.roles ?? []).map((r, j) => readRole(r, where, j)),
      licenses: (entry.licenses ?? []).map((l, j) => opaque('LICENSE', l, where, `licenses[${j}]`)),
      addresses: entry.addresses ?? [],
      siteUrls: entry.siteUrls ?? [],
      sipAddresses: entry.sipAddresses ?? [],
      invitePending: flag(entry.invitePending, false),
      loginEnabled: flag(entry.loginEnabled, true),
      statusSharing: entry.presence?.sharing ?? true,
      created,
      lastModified:
        entry.lastModified === undefined ? created : parseTime(entry.lastModified, where, 'lastModified'),
    };
    copyDefined(person, entry, [
      'nickName',
      'firstName',
      'lastName',
      'avatar',
      'extension',
      'department',
      'manager',
      'title',
      'timezone',
      'xmppFederationJid',
    ]);
    if (entry.locationId !== undefined)
      person.locationId = opaque('LOCATION', entry.locationId, where, 'locationId');
    if (entry.managerId !== undefined) {
      const managerId = resolveUuidRef('PEOPLE', entry.managerId);
      if (!managerId) fail(where, 'managerId', `"${entry.managerId}" is neither a UUID nor a person ID`);
      person.managerId = managerId;
    }
    if (entry.presence?.state !== undefined) person.presenceState = entry.presence.state;
    if (entry.presence?.lastActivity !== undefined) {
      person.lastActivity = parseTime(entry.presence.lastActivity, where, 'presence.lastActivity');
    }
    return person;
  }

  private claimEmail(email: string, where: string): void {
    if (!isEmailAddress(email)) fail(where, 'emails', `"${email}" is not an email address`);
    this.duplicates.email(email, where);
  }

  private readToken(token: DirectoryTokenEntry, personId: string, where: string): TokenRecord {
    const plain = typeof token === 'string' ? token : token.token;
    const hash = hashToken(plain);
    this.duplicates.tokenHash(hash, where);
    if (typeof token === 'string' || token.expires === undefined) return { hash, personId };
    return { hash, personId, expiresAt: parseTime(token.expires, where, 'expires') };
  }
}

function fail(where: string, field: string, problem: string): never {
  throw new DirectoryFileError(`${where}.${field}: ${problem}`);
}

function parseTime(value: string, where: string, field: string): number {
  const ms = parseIsoTime(value);
  if (ms === undefined) {
    fail(
      where,
      field,
      `"${value}" is not an ISO-8601 date-time with an offset (e.g. 2026-01-15T12:00:00.000Z)`,
    );
  }
  return ms;
}

function flag(value: boolean | 'true' | 'false' | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value === true || value === 'true';
}

function readRole(ref: string, where: string, index: number): string {
  const role = resolveRoleRef(ref);
  if (role !== undefined) return role;
  return fail(
    where,
    `roles[${index}]`,
    `"${ref}" is neither a role name (${ROLE_NAMES.join(', ')}) nor a role ID`,
  );
}

function opaque(type: 'LICENSE' | 'LOCATION', ref: string, where: string, field: string): string {
  const value = resolveOpaqueRef(type, ref);
  if (value === undefined) fail(where, field, `"${ref}" is an ID of another kind than ${type}`);
  return value;
}

function copyDefined(
  person: PersonRecord,
  entry: DirectoryPersonEntry,
  keys: readonly (keyof PersonRecord & keyof DirectoryPersonEntry)[],
): void {
  for (const key of keys) {
    const value = entry[key];
    if (value !== undefined) (person as unknown as Record<string, unknown>)[key] = value;
  }
}
