import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret for one entry: 256 random bits, base64url. Only its hash is kept on the entry. */
export const newAccessToken = (): string => randomBytes(32).toString('base64url');

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
