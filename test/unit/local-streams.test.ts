import { describe, expect, it } from 'vitest';
import { matchesPattern, passesFilters } from '../../infra/local/streams.ts';
import { LocalMail, MAIL_PAGE_SIZE } from '../../infra/local/mail.ts';

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

  it('pages the mailbox, newest first, so it stays small however much mail there is', () => {
    const mail = new LocalMail();
    const total = MAIL_PAGE_SIZE * 2 + 3;
    for (let i = 1; i <= total; i++)
      mail.send({
        FromEmailAddress: 'a@x.cn',
        Destination: { ToAddresses: ['b@y.cn'] },
        Content: { Simple: { Subject: { Data: `邮件 #${i}#` }, Body: { Text: { Data: 'x' } } } },
      });
    const subjects = (html: string) => [...html.matchAll(/邮件 #(\d+)#/g)].map((m) => Number(m[1]));
    const first = mail.page();
    expect(subjects(first)).toEqual(Array.from({ length: MAIL_PAGE_SIZE }, (_, k) => total - k));
    expect(first).toContain('href="/mail?page=2"');
    const last = mail.page(3);
    expect(subjects(last)).toEqual([3, 2, 1]);
    expect(last).not.toContain('href="/mail?page=4"');
    expect(subjects(mail.page(99))).toEqual([3, 2, 1]); // past the end: the last page
  });
});
