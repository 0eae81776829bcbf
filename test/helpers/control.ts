import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import type { TestServer } from './test-server.js';
import { call, type JsonResponse } from './wire.js';

// Calls to the control API (/rollcall/v1/…) of a test server, and a small directory to drive.

/** `method /rollcall/v1<path>` with a JSON body when given, and a bearer token when given. */
export function control(
  server: TestServer,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<JsonResponse> {
  const headers = new Headers();
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  return call(server, `/rollcall/v1${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.token !== undefined && { token: options.token }),
  });
}

export const ORG = 'c0c00000-0000-4000-8000-000000000001';
export const ADMIN = 'c0c00000-0000-4000-8000-000000000101';
export const USER = 'c0c00000-0000-4000-8000-000000000102';
export const IDLE = 'c0c00000-0000-4000-8000-000000000103';
export const TOKEN = {
  admin: 'control-admin-token',
  user: 'control-user-token',
  expiring: 'control-expiring-token',
};

/** An admin and a user with tokens (the user's second one expires at 13:00), and an idle person. */
export function controlDirectory(): DirectoryFile {
  return {
    orgs: [{ id: ORG, displayName: 'Control' }],
    people: [
      {
        id: ADMIN,
        orgId: ORG,
        emails: ['admin@control.test'],
        displayName: 'Ada Admin',
        roles: ['id_full_admin'],
        created: '2025-06-01T00:00:00.000Z',
        lastModified: '2025-06-01T00:00:00.000Z',
        tokens: [TOKEN.admin],
      },
      {
        id: USER,
        orgId: ORG,
        emails: ['user@control.test'],
        displayName: 'Uma User',
        created: '2025-06-01T00:00:00.000Z',
        lastModified: '2025-06-01T00:00:00.000Z',
        tokens: [TOKEN.user, { token: TOKEN.expiring, expires: '2026-01-15T13:00:00.000Z' }],
      },
      {
        id: IDLE,
        orgId: ORG,
        emails: ['idle@control.test'],
        displayName: 'Ida Idle',
        created: '2025-06-01T00:00:00.000Z',
        lastModified: '2025-06-01T00:00:00.000Z',
        presence: { lastActivity: '2026-01-15T11:55:00.000Z' },
      },
    ],
  };
}
