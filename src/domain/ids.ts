// Webex "hydra" IDs: unpadded URL-safe base64 of `ciscospark://us/<TYPE>/<id>`, byte for byte what the
// official JS SDK computes (people.inferPersonIdFromUuid), so its batcher can match our items.
import { boundedMemo } from '../lib/memo.js';

const HYDRA_TYPES = ['PEOPLE', 'ORGANIZATION', 'ROLE', 'LICENSE', 'LOCATION'] as const;
export type HydraType = (typeof HYDRA_TYPES)[number];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;
const HYDRA_URI_PATTERN = /^ciscospark:\/\/([^/]+)\/([A-Z_]+)\/(.+)$/;

const encode = (type: HydraType, id: string) =>
  Buffer.from(`ciscospark://us/${type}/${id}`, 'utf8').toString('base64url');

// Every response encodes the same org, role and people IDs again. One memo per type, keyed by the ID
// itself: the stored ID strings come back again and again, and a string's hash is computed only once.
const encoders = Object.fromEntries(
  HYDRA_TYPES.map((type) => [type, boundedMemo((id: string) => encode(type, id), 50_000)]),
) as Record<HydraType, (id: string) => string>;

export function encodeHydraId(type: HydraType, id: string): string {
  return encoders[type](id);
}

export interface DecodedHydraId {
  cluster: string;
  type: string;
  id: string;
}

/** Accepts unpadded or padded, URL-safe or standard base64; undefined when it is no hydra ID. */
export function decodeHydraId(value: string): DecodedHydraId | undefined {
  if (!BASE64_PATTERN.test(value)) return undefined;
  const match = HYDRA_URI_PATTERN.exec(Buffer.from(value, 'base64').toString('utf8'));
  if (!match) return undefined;
  const [, cluster, type, id] = match as unknown as [string, string, string, string];
  return { cluster, type, id };
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * Resolves a person or organization reference (hydra ID or raw UUID) to the stored lowercase UUID.
 * Returns undefined for anything else, including a hydra ID of another type.
 */
export function resolveUuidRef(type: 'PEOPLE' | 'ORGANIZATION', value: string): string | undefined {
  if (isUuid(value)) return value.toLowerCase();
  const decoded = decodeHydraId(value);
  if (decoded?.type !== type || !isUuid(decoded.id)) return undefined;
  return decoded.id.toLowerCase();
}

/**
 * Resolves a role, license or location reference: the inner value of a hydra ID of that type, or the
 * value itself when it is not a hydra ID at all. Undefined for a hydra ID of another type.
 */
export function resolveOpaqueRef(type: 'ROLE' | 'LICENSE' | 'LOCATION', value: string): string | undefined {
  const decoded = decodeHydraId(value);
  if (!decoded) return value;
  return decoded.type === type ? decoded.id : undefined;
}
