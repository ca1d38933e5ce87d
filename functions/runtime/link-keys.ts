import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requiredEnv } from './aws.ts';

/**
 * The link signing key from Secrets Manager ({"current": "...", "previous"?: "..."}),
 * cached per container for a few minutes so a rotation reaches every container
 * soon. Locally the same call reaches the local stack's Secrets Manager endpoint
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER), whose value lives under .local/.
 */
export interface LinkKeys {
  /** Signs new links. */
  current: string;
  /** Verifies links: the current key and, during a rotation, the previous one. */
  verify: string[];
}

const CACHE_MS = 5 * 60_000;
let client: SecretsManagerClient | undefined;
let cached: { at: number; keys: LinkKeys } | undefined;

export const linkKeys = async (nowMs = Date.now()): Promise<LinkKeys> => {
  if (cached && nowMs - cached.at < CACHE_MS) return cached.keys;
  client ??= new SecretsManagerClient({});
  const r = await client.send(new GetSecretValueCommand({ SecretId: requiredEnv('LINK_KEY_SECRET_ARN') }));
  let value: { current?: unknown; previous?: unknown };
  try {
    value = JSON.parse(r.SecretString ?? '');
  } catch {
    throw new Error('the link signing key secret is not JSON {"current": "..."}');
  }
  if (typeof value.current !== 'string' || value.current.length < 32)
    throw new Error('the link signing key secret has no "current" key of at least 32 characters');
  const previous = typeof value.previous === 'string' && value.previous.length >= 32 ? [value.previous] : [];
  const keys = { current: value.current, verify: [value.current, ...previous] };
  cached = { at: nowMs, keys };
  return keys;
};
