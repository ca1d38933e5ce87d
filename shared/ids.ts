import { createHash } from 'node:crypto';
import * as z from 'zod';

/** Ids chosen by organizers appear in URLs and execution names: keep them short and URL-safe. */
export const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 lowercase letters, digits or hyphens');

/** Round ids are shorter so "<competitionId>_<roundId>" fits an execution name (80 chars). */
export const roundSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be 1-32 lowercase letters, digits or hyphens');

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * A deterministic id in the shape of a ULID (26 Crockford base-32 characters) from what names the thing:
 * the same parts always give the same id, so a replayed step or a retried request finds what the first
 * one made.
 */
export const hashedId = (...parts: Array<string | number>) => {
  const h = createHash('sha256').update(parts.join('|')).digest();
  let out = '';
  for (let k = 0; k < 26; k++) out += CROCKFORD[h[k]! & 31];
  return out;
};
