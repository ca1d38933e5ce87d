import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links (review links now; appointment and sponsor-confirmation links
 * later). A token names exactly one subject (e.g. one review assignment), for
 * one purpose, until an expiry, at a version:
 *
 *   base64url(JSON {p, s, v, e}) "." base64url(HMAC-SHA-256(key, purpose-tagged payload))
 *
 * - Expiry is in the token and signed, so it cannot be stretched.
 * - Revocation: the subject's stored version must equal `v`; revoking or
 *   reassigning bumps the stored version and every older link stops working.
 * - The MAC is compared in constant time; any malformed token is INVALID_LINK.
 * - Keys rotate: verification accepts the current key and, during a grace
 *   period, the previous one. A Step Functions task token never goes in a link.
 */
export type LinkPurpose =
  | 'review'
  | 'expert-home'
  | 'appointment'
  | 'project-manager'
  | 'sponsor-confirmation'
  | 'need-sponsor';

export interface LinkClaims {
  purpose: LinkPurpose;
  subject: string;
  version: number;
  expiresAt: Date;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; code: 'INVALID_LINK' | 'LINK_EXPIRED' | 'LINK_REVOKED' };

const MIN_KEY_BYTES = 32;

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`link:v1:${payload}`).digest();

const keyBytes = (key: string | Buffer) => {
  const k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length < MIN_KEY_BYTES) throw new Error(`a link signing key needs at least ${MIN_KEY_BYTES} bytes`);
  return k;
};

export const signLink = (claims: LinkClaims, key: string | Buffer): string => {
  const payload = Buffer.from(
    JSON.stringify({
      p: claims.purpose,
      s: claims.subject,
      v: claims.version,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${mac(keyBytes(key), payload).toString('base64url')}`;
};

/**
 * Checks signature, purpose and expiry (the caller then compares `version`
 * with the subject's stored version, see `checkVersion`).
 */
export const verifyLink = (token: string, purpose: LinkPurpose, keys: Array<string | Buffer>, now: Date): LinkCheck => {
  const invalid = { ok: false, code: 'INVALID_LINK' } as const;
  if (typeof token !== 'string' || token.length > 1024) return invalid;
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(sig))
    return invalid;
  const given = Buffer.from(sig, 'base64url');
  // Check every key, always, so timing does not reveal which one matched.
  let valid = false;
  for (const k of keys) {
    const expected = mac(keyBytes(k), payload);
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) return invalid;
  let body: { p?: unknown; s?: unknown; v?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (body.p !== purpose || typeof body.s !== 'string' || !Number.isInteger(body.v) || !Number.isInteger(body.e))
    return invalid;
  const expiresAt = new Date((body.e as number) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, code: 'LINK_EXPIRED' };
  return { ok: true, claims: { purpose, subject: body.s, version: body.v as number, expiresAt } };
};

/** A link is honoured only while its version is the subject's current one and the subject is not revoked. */
export const checkVersion = (
  check: LinkCheck,
  stored: { version: number; revoked?: boolean } | undefined,
): LinkCheck => {
  if (!check.ok) return check;
  if (!stored) return { ok: false, code: 'INVALID_LINK' };
  if (stored.revoked || stored.version !== check.claims.version) return { ok: false, code: 'LINK_REVOKED' };
  return check;
};
