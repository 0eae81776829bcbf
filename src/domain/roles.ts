// Admin roles as Webex names them (the inner value of `ciscospark://us/ROLE/<name>`).
export const ROLE_NAMES = ['id_full_admin', 'id_user_admin', 'id_readonly_admin', 'id_device_admin'] as const;

export type AdminAccess = 'write' | 'read' | 'none';

/** Full and user admins write; read-only admins read like admins; device admins are plain users. */
export function adminAccessOf(roles: readonly string[]): AdminAccess {
  if (isFullAdmin(roles) || roles.includes('id_user_admin')) return 'write';
  if (roles.includes('id_readonly_admin')) return 'read';
  return 'none';
}

export const FULL_ADMIN_ROLE = 'id_full_admin';

export function isFullAdmin(roles: readonly string[]): boolean {
  return roles.includes(FULL_ADMIN_ROLE);
}
