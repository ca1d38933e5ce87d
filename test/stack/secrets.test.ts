import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LocalSecrets } from '../../infra/local/secrets.ts';
import { startAwsJsonEndpoint } from '../../infra/local/sfn-endpoint.ts';
import { readModel, synthTemplate } from '../../infra/local/template.ts';

describe('local Secrets Manager (from the template)', () => {
  it('generates the link signing key once, keeps it under .local/ (0600), serves it to the SDK', async () => {
    const secrets = readModel(synthTemplate()).secrets;
    const key = secrets.find((s) => s.logicalId.startsWith('LinkSigningKey'))!;
    expect(key.generate).toMatchObject({ generateStringKey: 'current', passwordLength: 64, excludePunctuation: true });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-')), 'secrets.json');
    const read = async (store: LocalSecrets) => {
      const server = await startAwsJsonEndpoint({ secretsmanager: store.operations() }, 0);
      try {
        const client = new SecretsManagerClient({
          endpoint: server.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        });
        const value = (await client.send(new GetSecretValueCommand({ SecretId: key.arn }))).SecretString!;
        await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
          ResourceNotFoundException,
        );
        return value;
      } finally {
        await server.close();
      }
    };
    const first = await read(new LocalSecrets(secrets, file));
    expect(JSON.parse(first).current).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await read(new LocalSecrets(secrets, file))).toBe(first); // same key after a restart
    expect(await read(new LocalSecrets(secrets))).not.toBe(first); // in-memory stacks get their own
  });
});
