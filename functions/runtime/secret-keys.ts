import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requiredEnv } from './aws.ts';
import { traced } from './tracer.ts';

/**
 * HMAC keys kept in Secrets Manager as {"current": "...", "previous"?: "..."},
 * cached per container for a few minutes so a rotation reaches every container
 * soon. Locally the same call reaches the local stack's Secrets Manager
 * endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER), whose values live under .local/.
 */
export interface SecretKeys {
  /** Signs (or derives) from now on. */
  current: string;
  /** Verifies: the current key and, during a rotation, the previous one. */
  verify: string[];
}

const CACHE_MS = 5 * 60_000;
let client: SecretsManagerClient | undefined;
const cache = new Map<string, { at: number; keys: SecretKeys }>();

const loadKeys = async (variable: string, what: string, nowMs: number): Promise<SecretKeys> => {
  const hit = cache.get(variable);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.keys;
  client ??= traced(new SecretsManagerClient({}));
  const r = await client.send(new GetSecretValueCommand({ SecretId: requiredEnv(variable) }));
  let value: { current?: unknown; previous?: unknown };
  try {
    value = JSON.parse(r.SecretString ?? '');
  } catch {
    throw new Error(`the ${what} secret is not JSON {"current": "..."}`);
  }
  if (typeof value.current !== 'string' || value.current.length < 32)
    throw new Error(`the ${what} secret has no "current" key of at least 32 characters`);
  const previous = typeof value.previous === 'string' && value.previous.length >= 32 ? [value.previous] : [];
  const keys = { current: value.current, verify: [value.current, ...previous] };
  cache.set(variable, { at: nowMs, keys });
  return keys;
};

/** The key of signed links (review, sponsor confirmation, appointment). */
export const linkKeys = (nowMs = Date.now()) => loadKeys('LINK_KEY_SECRET_ARN', 'link signing key', nowMs);

/** The key applicant access tokens are derived with (never stored: only their hash is). */
export const entryTokenKeys = (nowMs = Date.now()) => loadKeys('ENTRY_TOKEN_SECRET_ARN', 'entry token key', nowMs);

/** The value CloudFront adds to every request it forwards (x-origin-verify); public routes refuse requests without it. */
export const originVerifyKeys = (nowMs = Date.now()) =>
  loadKeys('ORIGIN_VERIFY_SECRET_ARN', 'origin verify key', nowMs);
