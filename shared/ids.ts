import * as z from 'zod';

/** Ids chosen by organizers appear in URLs and execution names: keep them short and URL-safe. */
export const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 lowercase letters, digits or hyphens');

/** Round ids are shorter so "<competitionId>_<roundId>" fits an execution name (80 chars). */
export const roundSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be 1-32 lowercase letters, digits or hyphens');
