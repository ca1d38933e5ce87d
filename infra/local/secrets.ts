import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Body } from './sfn-endpoint.ts';
import { SfnError } from './stepfunctions.ts';
import type { LocalSecret } from './template.ts';

/**
 * Secrets Manager for the local stack: the template's secrets, each generated
 * once as its GenerateSecretString asks and kept under .local/ (mode 0600), so
 * handlers read them with GetSecretValue exactly as in AWS.
 */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const generate = (g: NonNullable<LocalSecret['generate']>) => {
  const alphabet = ALPHANUMERIC + (g.excludePunctuation ? '' : PUNCTUATION);
  const bytes = randomBytes(g.passwordLength * 2);
  let out = '';
  for (let k = 0; out.length < g.passwordLength; k++) {
    const b = bytes[k % bytes.length]!;
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length]; // no modulo bias
    if (k > 0 && k % bytes.length === 0) bytes.set(randomBytes(bytes.length));
  }
  if (g.generateStringKey)
    return JSON.stringify({ ...(JSON.parse(g.secretStringTemplate ?? '{}') as object), [g.generateStringKey]: out });
  return out;
};

export class LocalSecrets {
  private readonly values = new Map<string, { value: string; created: number; version: string }>();

  constructor(
    private readonly secrets: LocalSecret[],
    file?: string,
  ) {
    const saved: Record<string, { value: string; created: number; version: string }> =
      file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    let changed = false;
    for (const s of secrets) {
      const v = saved[s.arn] ?? {
        value: s.secretString ?? (s.generate ? generate(s.generate) : ''),
        created: Date.now(),
        version: randomUUID(),
      };
      if (!saved[s.arn]) changed = true;
      this.values.set(s.arn, v);
    }
    if (file && changed) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(Object.fromEntries(this.values), null, 2), { mode: 0o600 });
    }
  }

  private find(id: string) {
    const s = this.secrets.find((x) => x.arn === id || x.name === id);
    if (!s) throw new SfnError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return s;
  }

  /**
   * Resolves CloudFormation's Secrets Manager dynamic references in a template value
   * (`{{resolve:secretsmanager:<arn>:SecretString:<json key>::}}`) as CloudFormation does at deploy time.
   */
  resolveReferences(value: string): string {
    return value.replace(
      /\{\{resolve:secretsmanager:(.+?):SecretString:([^:}]*)::\}\}/g,
      (_m, id: string, key: string) => {
        const raw = this.values.get(this.find(id).arn)!.value;
        return key ? String((JSON.parse(raw) as Record<string, unknown>)[key]) : raw;
      },
    );
  }

  operations(): Record<string, (b: Body) => unknown> {
    return {
      GetSecretValue: (b) => {
        const s = this.find(String(b.SecretId));
        const v = this.values.get(s.arn)!;
        return {
          ARN: s.arn,
          Name: s.name,
          SecretString: v.value,
          VersionId: v.version,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: v.created / 1000,
        };
      },
      ListSecrets: () => ({
        SecretList: this.secrets.map((s) => ({ ARN: s.arn, Name: s.name, Description: s.description })),
      }),
      DescribeSecret: (b) => {
        const s = this.find(String(b.SecretId));
        return { ARN: s.arn, Name: s.name, Description: s.description };
      },
    };
  }
}
