import { describe, expect, it } from 'vitest';
import { matchesPattern, passesFilters } from '../../infra/local/streams.ts';
import { LocalMail } from '../../infra/local/mail.ts';

describe('local stream runner: Lambda filter patterns', () => {
  const outboxInsert = { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'OUTBOX#c#r' }, sk: { S: 'a@x' } } } };
  const pattern = { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } } };

  it('passes outbox inserts only, as the template’s filter says', () => {
    expect(matchesPattern(pattern, outboxInsert)).toBe(true);
    expect(matchesPattern(pattern, { ...outboxInsert, eventName: 'MODIFY' })).toBe(false);
    expect(matchesPattern(pattern, { ...outboxInsert, dynamodb: { Keys: { pk: { S: 'ENTRY#1' } } } })).toBe(false);
    expect(matchesPattern(pattern, { eventName: 'INSERT' })).toBe(false);
    expect(passesFilters([], outboxInsert)).toBe(true);
    expect(passesFilters([{ eventName: ['REMOVE'] }, pattern], outboxInsert)).toBe(true);
    expect(matchesPattern({ dynamodb: { NewImage: { deliveredAt: [{ exists: false }] } } }, outboxInsert)).toBe(true);
  });

  it('refuses a rule it does not implement instead of guessing', () => {
    expect(() => matchesPattern({ eventName: [{ 'anything-but': 'REMOVE' }] }, outboxInsert)).toThrow(/not supported/);
  });
});

describe('local SES', () => {
  it('keeps what SendEmail was given and rejects a request SES would reject', () => {
    const seen: string[] = [];
    const mail = new LocalMail(undefined, (m) => seen.push(m.subject));
    const ok = mail.send({
      FromEmailAddress: 'a@x.cn',
      Destination: { ToAddresses: ['b@y.cn'] },
      Content: { Simple: { Subject: { Data: '主题' }, Body: { Text: { Data: 'see https://h/review/t' } } } },
    });
    expect(ok.MessageId).toMatch(/^local-/);
    expect(seen).toEqual(['主题']);
    expect(mail.page()).toContain('<a href="https://h/review/t">');
    expect(() => mail.send({ FromEmailAddress: 'a@x.cn', Destination: { ToAddresses: [] }, Content: {} })).toThrow(
      /ToAddresses/,
    );
    expect(mail.list()).toHaveLength(1);
  });
});
