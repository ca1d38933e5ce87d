import { describe, expect, it } from 'vitest';
import { authorizationChecks } from '../../infra/local/dynamodb-gate.ts';
import { evaluate, type PolicyStatement } from '../../infra/local/iam.ts';

/** The local IAM emulation decides as IAM documents it (identity-based policies, no boundaries). */
const TABLE = 'arn:aws:local:::Table';
const inEntries: PolicyStatement = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  Resource: TABLE,
  Condition: {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ENTRY#*'] },
    Null: { 'dynamodb:LeadingKeys': 'false' },
  },
};
const ask = (action: string, keys?: string[], resource = TABLE) =>
  evaluate([inEntries], { action, resource, context: keys ? { 'dynamodb:LeadingKeys': keys } : {} });

describe('IAM evaluation (emulated)', () => {
  it('allows an action on items whose every partition key matches', () => {
    expect(ask('dynamodb:GetItem', ['ENTRY#1'])).toBe('ALLOW');
    expect(ask('dynamodb:GetItem', ['ENTRY#1', 'ENTRY#2'])).toBe('ALLOW');
  });

  it('refuses when one key lies outside, when no key is named, for another action or resource', () => {
    expect(ask('dynamodb:GetItem', ['ENTRY#1', 'COMP#1'])).toBe('IMPLICIT_DENY');
    expect(ask('dynamodb:GetItem')).toBe('IMPLICIT_DENY');
    expect(ask('dynamodb:DeleteItem', ['ENTRY#1'])).toBe('IMPLICIT_DENY');
    expect(ask('dynamodb:GetItem', ['ENTRY#1'], `${TABLE}/index/gsi1`)).toBe('IMPLICIT_DENY');
  });

  it('ForAllValues alone lets a request without the key through (why the Null test is there)', () => {
    const loose: PolicyStatement = {
      ...inEntries,
      Condition: { 'ForAllValues:StringLike': inEntries.Condition!['ForAllValues:StringLike']! },
    };
    expect(evaluate([loose], { action: 'dynamodb:Query', resource: TABLE, context: {} })).toBe('ALLOW');
  });

  it('an explicit deny wins over an allow; action names match without case, with wildcards', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:Put*', Resource: '*' };
    expect(
      evaluate([inEntries, deny], {
        action: 'dynamodb:PutItem',
        resource: TABLE,
        context: { 'dynamodb:LeadingKeys': ['ENTRY#1'] },
      }),
    ).toBe('EXPLICIT_DENY');
    expect(ask('DynamoDB:getitem', ['ENTRY#1'])).toBe('ALLOW');
  });

  it('refuses to guess on a condition operator it does not know', () => {
    const odd: PolicyStatement = { ...inEntries, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } } };
    expect(() => evaluate([odd], { action: 'dynamodb:GetItem', resource: TABLE, context: {} })).toThrow(
      /does not support/,
    );
  });
});

describe('what IAM authorizes for a DynamoDB call', () => {
  const tables = new Map([['T', { arn: TABLE, hashKey: 'pk', indexHashKeys: new Map([['gsi1', 'gsi1pk']]) }]]);

  it('a Query: the partition its key condition names, on the table or the index', () => {
    expect(
      authorizationChecks(
        'Query',
        {
          TableName: 'T',
          KeyConditionExpression: 'begins_with(#s, :p) AND #k = :v',
          ExpressionAttributeNames: { '#k': 'pk', '#s': 'sk' },
          ExpressionAttributeValues: { ':v': { S: 'ENTRY#1' }, ':p': { S: 'DOC#' } },
        },
        tables,
      ),
    ).toEqual([{ action: 'dynamodb:Query', resource: TABLE, leadingKeys: ['ENTRY#1'] }]);
    expect(
      authorizationChecks(
        'Query',
        {
          TableName: 'T',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :v',
          ExpressionAttributeValues: { ':v': { S: 'EXPERTS' } },
        },
        tables,
      ),
    ).toEqual([{ action: 'dynamodb:Query', resource: `${TABLE}/index/gsi1`, leadingKeys: ['EXPERTS'] }]);
  });

  it('a transaction: each item as its own action; a batch: every key at once', () => {
    expect(
      authorizationChecks(
        'TransactWriteItems',
        {
          TransactItems: [
            { Put: { TableName: 'T', Item: { pk: { S: 'ENTRY#1' }, sk: { S: 'ENTRY' } } } },
            { ConditionCheck: { TableName: 'T', Key: { pk: { S: 'COMP#1' }, sk: { S: 'COMP' } } } },
            { Delete: { TableName: 'T', Key: { pk: { S: 'SUBMITTED#1' }, sk: { S: 'E' } } } },
          ],
        },
        tables,
      ).map((c) => [c.action, c.leadingKeys]),
    ).toEqual([
      ['dynamodb:PutItem', ['ENTRY#1']],
      ['dynamodb:ConditionCheckItem', ['COMP#1']],
      ['dynamodb:DeleteItem', ['SUBMITTED#1']],
    ]);
    expect(
      authorizationChecks(
        'BatchGetItem',
        { RequestItems: { T: { Keys: [{ pk: { S: 'A#1' } }, { pk: { S: 'B#2' } }] } } },
        tables,
      ),
    ).toEqual([{ action: 'dynamodb:BatchGetItem', resource: TABLE, leadingKeys: ['A#1', 'B#2'] }]);
  });
});
