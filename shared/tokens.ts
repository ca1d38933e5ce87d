import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An entry's bearer token: HMAC-SHA-256 of the entry id under a secret key
 * (Secrets Manager), base64url, 256 bits. Only its hash is kept on the entry,
 * and nothing at rest holds the token itself: a replayed creation derives it
 * again from the entry id.
 */
export const deriveAccessToken = (entryId: string, key: string): string => {
  if (key.length < 32) throw new Error('an entry token key needs at least 32 characters');
  return createHmac('sha256', key).update(`entry-access:v1:${entryId}`, 'utf8').digest('base64url');
};

/** A need's sponsor token: the same construction under the same key, in its own domain ("need-sponsor"). */
export const deriveNeedToken = (needId: string, key: string): string => {
  if (key.length < 32) throw new Error('a token key needs at least 32 characters');
  return createHmac('sha256', key).update(`need-sponsor:v1:${needId}`, 'utf8').digest('base64url');
};

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Constant-time comparison of the presented token against the stored hash. */
export const tokenMatches = (token: string, storedHash: string | undefined): boolean => {
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(storedHash ?? '', 'hex');
  return b.length === a.length && timingSafeEqual(a, b);
};

/** Canonical JSON (sorted keys) so that semantically equal bodies hash the same. */
export const canonicalJson = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, (val as Record<string, unknown>)[k]]),
        )
      : val,
  );
