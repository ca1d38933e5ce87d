import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

describe('link keys loader (Secrets Manager mocked)', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    sm.reset();
    process.env.LINK_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:LinkSigningKey';
  });

  it('verifies with current and previous during a rotation, caches for minutes, then re-reads', async () => {
    const { linkKeys } = await import('../../functions/runtime/secret-keys.ts');
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ current: 'c'.repeat(40), previous: 'p'.repeat(40) }),
    });
    const t = 1_000_000;
    expect(await linkKeys(t)).toEqual({ current: 'c'.repeat(40), verify: ['c'.repeat(40), 'p'.repeat(40)] });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: 'n'.repeat(40) }) });
    expect((await linkKeys(t + 60_000)).current).toBe('c'.repeat(40)); // cached
    expect(await linkKeys(t + 6 * 60_000)).toEqual({ current: 'n'.repeat(40), verify: ['n'.repeat(40)] });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret without a usable current key, with a clear message', async () => {
    const { linkKeys } = await import('../../functions/runtime/secret-keys.ts');
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: 'short' }) });
    await expect(linkKeys(99_000_000)).rejects.toThrow(/"current" key of at least 32/);
  });
});
