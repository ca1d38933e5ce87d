import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { verifyLink } from '../../shared/links.ts';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { competitionFixture } from '../fixtures/competition.ts';

/** The outbox delivery function with SES and DynamoDB mocked: what it sends, what it marks, what it retries. */
const ses = mockClient(SESv2Client);
const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const LINK_KEY = 'k'.repeat(48);

const message = (n: number, extra: Record<string, unknown> = {}) => ({
  pk: 'OUTBOX#demo#preliminary',
  sk: `rev${n}@example.com`,
  kind: 'ASSIGNED',
  messageKey: `rev${n}@example.com`,
  expertEmail: `rev${n}@example.com`,
  competitionId: 'demo',
  roundId: 'preliminary',
  language: 'zh',
  links: [{ assignmentId: `A${n}`, purpose: 'review', version: 2, expiresAt: '2026-07-10T16:00:00.000Z' }],
  closesAt: '2026-07-10T16:00:00.000Z',
  createdAt: '2026-07-01T00:00:00.000Z',
  ...extra,
});
const event = (...items: Array<Record<string, unknown>>) =>
  ({
    Records: items.map((item, k) => ({
      eventName: 'INSERT',
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }),
        NewImage: marshall(item, { removeUndefinedValues: true }),
        SequenceNumber: String(100 + k),
      },
    })),
  }) as unknown as DynamoDBStreamEvent;
const context = { functionName: 'DeliverOutbox', awsRequestId: 'r' } as Context;

describe('outbox delivery (SES and DynamoDB mocked)', () => {
  const competition = {
    ...competitionFixture({ id: 'demo', deadline: Date.now() + 60_000 }),
    competitionId: 'demo',
    version: 1,
    createdAt: 'x',
    updatedAt: 'x',
  };
  beforeEach(() => {
    ses.reset();
    ddb.reset();
    Object.assign(process.env, {
      TABLE_NAME: 'Records',
      MAIL_FROM: 'review@center.example.cn',
      PUBLIC_BASE_URL: 'https://api.center.example.cn',
      LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:LinkSigningKey',
    });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: LINK_KEY }) });
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
      if (input.Key.pk === 'COMP#demo') return { Item: { ...competition, pk: 'COMP#demo', sk: 'COMP' } };
      const n = Number(/rev(\d+)@/.exec(input.Key.sk)![1]);
      return { Item: message(n, n === 9 ? { deliveredAt: '2026-07-01T00:00:01.000Z' } : {}) };
    });
    ddb.on(UpdateCommand).resolves({});
  });

  it('sends each new message once with absolute links and marks it delivered; skips one already delivered', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const { handler } = await import('../../functions/stream/deliver-outbox.ts');
    const out = await handler(event(message(1), message(9)), context);
    expect(out).toEqual({ batchItemFailures: [] });
    const sends = ses.commandCalls(SendEmailCommand);
    expect(sends).toHaveLength(1);
    const input = sends[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'review@center.example.cn',
      Destination: { ToAddresses: ['rev1@example.com'] },
    });
    // The outbox holds what the link is for; the link is signed now, for that subject, version and expiry.
    const [, token] = /https:\/\/api\.center\.example\.cn\/review\/(\S+)/.exec(
      input.Content!.Simple!.Body!.Text!.Data!,
    )!;
    expect(verifyLink(token!, 'review', [LINK_KEY], new Date('2026-07-01T00:00:00Z'))).toMatchObject({
      ok: true,
      claims: { subject: 'A1', version: 2, expiresAt: new Date('2026-07-10T16:00:00.000Z') },
    });
    const marks = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({
      Key: { pk: 'OUTBOX#demo#preliminary', sk: 'rev1@example.com' },
      ExpressionAttributeValues: { ':id': 'm-1' },
    });
    // A delivered message expires (TTL) a month after the later of its delivery and its round's close.
    const ttl = marks[0]!.ExpressionAttributeValues![':ttl'] as number;
    const month = 30 * 86400;
    expect(ttl).toBeGreaterThanOrEqual(Date.parse('2026-07-10T16:00:00.000Z') / 1000 + month);
    expect(ttl).toBeLessThanOrEqual(Date.now() / 1000 + month + 60);
    expect(marks[0]!.UpdateExpression).toContain('#ttl = if_not_exists(#ttl, :ttl)');
  });

  it('reports the first failed record so it and the ones after it are retried, keeping stream order', async () => {
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: 'ok' })
      .rejectsOnce(new Error('Throttling'))
      .resolves({ MessageId: 'later' });
    const { handler } = await import('../../functions/stream/deliver-outbox.ts');
    const out = await handler(event(message(1), message(2), message(3)), context);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2); // the third waits for the retry
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('a message SES refuses for good is recorded as refused and does not hold back the records behind it', async () => {
    const rejected = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    ses.on(SendEmailCommand).rejectsOnce(rejected).resolves({ MessageId: 'm-2' });
    const { handler } = await import('../../functions/stream/deliver-outbox.ts');
    const out = await handler(event(message(1), message(2)), context);
    expect(out).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    const marks = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(marks[0]).toMatchObject({
      Key: { sk: 'rev1@example.com' },
      ExpressionAttributeValues: { ':r': { code: 'MessageRejected', message: 'Email address is not verified.' } },
    });
    expect(marks[1]).toMatchObject({ Key: { sk: 'rev2@example.com' }, ExpressionAttributeValues: { ':id': 'm-2' } });
  });

  it('line breaks in a title never reach a header (no header injection)', async () => {
    const title = competition.title;
    competition.title = { zh: '创新挑战赛\r\nBcc: victim@example.com', en: 'Challenge\u2028X-Injected: 1\n' };
    onTestFinished(() => {
      competition.title = title;
    });
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-3' });
    const { handler } = await import('../../functions/stream/deliver-outbox.ts');
    await handler(event(message(1), message(2, { language: 'en' })), context);
    const subjects = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Content!.Simple!.Subject!.Data!);
    expect(subjects).toHaveLength(2);
    for (const subject of subjects) expect(subject).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(subjects[0]).toContain('创新挑战赛 Bcc: victim@example.com');
  });
});
