import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import http from 'node:http';
import type net from 'node:net';
import { type PolicyStatement, evaluate } from './iam.ts';
import { type LocalTable, localResourceArn } from './template.ts';

/**
 * The local stack's DynamoDB endpoint: a gate in front of DynamoDB Local that asks, for every request a
 * function makes, what IAM would ask of that function's role — the action, the table or index, and
 * `dynamodb:LeadingKeys` (the partition key of every item the request touches) — and refuses what the
 * role's policy does not allow, with DynamoDB's AccessDeniedException. DynamoDB Local itself checks no
 * permissions; this is an emulation of the part of IAM the stack relies on (see infra/local/iam.ts).
 * Requests from outside a function (tests, the CLIs, the stream poller) pass as the developer's own.
 */

/** Which function's code is running: the local Lambda runner sets it around each invocation. */
export const invokingFunction = new AsyncLocalStorage<{ logicalId: string; roleName: string }>();

/** The header that carries the invoking function to the gate (added by the functions' SDK client). */
export const INVOKER_HEADER = 'x-local-lambda-function';

/**
 * Makes the functions' DynamoDB client name the function whose invocation sends each request, as each
 * function's own credentials would in AWS.
 */
export const identifyInvoker = (client: Pick<DynamoDBDocumentClient, 'middlewareStack'>) => {
  client.middlewareStack.add(
    (next) => async (args) => {
      const invoker = invokingFunction.getStore();
      const request = args.request as { headers?: Record<string, string> };
      if (invoker && request.headers) request.headers[INVOKER_HEADER] = `${invoker.logicalId} ${invoker.roleName}`;
      return next(args);
    },
    { step: 'build', name: 'localInvokingFunction', override: true },
  );
};

type AttributeValue = { S?: string; N?: string; B?: string };
type Key = Record<string, AttributeValue>;
const scalar = (v: AttributeValue | undefined) => v?.S ?? v?.N ?? v?.B;

interface TableKeys {
  arn: string;
  hashKey: string;
  indexHashKeys: Map<string, string>;
}

export interface AuthorizationCheck {
  action: string;
  resource: string;
  leadingKeys?: string[];
}

const hashOf = (schema: LocalTable['keySchema']) => schema.find((k) => k.KeyType === 'HASH')!.AttributeName;

/** The hash-key value a Query names in its key condition (`#pk = :v`, `pk = :v` or the legacy KeyConditions). */
const queriedPartition = (body: Record<string, unknown>, hashKey: string): string | undefined => {
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  const expression = body.KeyConditionExpression as string | undefined;
  if (expression) {
    for (const m of expression.matchAll(/([#\w.]+)\s*=\s*(:\w+)|(:\w+)\s*=\s*([#\w.]+)/g)) {
      const [name, value] = m[1] ? [m[1], m[2]!] : [m[4]!, m[3]!];
      if ((names[name] ?? name) === hashKey) return scalar(values[value]);
    }
    return undefined;
  }
  const legacy = body.KeyConditions as Record<string, { AttributeValueList?: AttributeValue[] }> | undefined;
  return scalar(legacy?.[hashKey]?.AttributeValueList?.[0]);
};

/**
 * What IAM authorizes for one DynamoDB API call: one check per action and resource, with the partition
 * keys it touches. A transaction is authorized item by item, as its own actions (TransactWriteItems
 * needs PutItem, UpdateItem, DeleteItem or ConditionCheckItem for each item).
 */
export const authorizationChecks = (
  operation: string,
  body: Record<string, unknown>,
  tables: ReadonlyMap<string, TableKeys>,
): AuthorizationCheck[] => {
  const table = (name: unknown): TableKeys => {
    const t = tables.get(String(name));
    // An unknown table: still a check, on an ARN no policy of the stack names.
    return t ?? { arn: localResourceArn(String(name)), hashKey: 'pk', indexHashKeys: new Map() };
  };
  const onItem = (action: string, tableName: unknown, key: Key | undefined): AuthorizationCheck => {
    const t = table(tableName);
    const pk = scalar(key?.[t.hashKey]);
    return { action, resource: t.arn, leadingKeys: pk === undefined ? [] : [pk] };
  };
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [onItem(`dynamodb:${operation}`, body.TableName, body.Key as Key)];
    case 'PutItem':
      return [onItem('dynamodb:PutItem', body.TableName, body.Item as Key)];
    case 'Query': {
      const t = table(body.TableName);
      const index = body.IndexName as string | undefined;
      const hashKey = index ? (t.indexHashKeys.get(index) ?? '') : t.hashKey;
      const pk = queriedPartition(body, hashKey);
      return [
        {
          action: 'dynamodb:Query',
          resource: index ? `${t.arn}/index/${index}` : t.arn,
          leadingKeys: pk === undefined ? [] : [pk],
        },
      ];
    }
    case 'Scan': {
      const t = table(body.TableName);
      const index = body.IndexName as string | undefined;
      return [{ action: 'dynamodb:Scan', resource: index ? `${t.arn}/index/${index}` : t.arn }];
    }
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, { Keys?: Key[] }>).map(([name, r]) => {
        const t = table(name);
        return {
          action: 'dynamodb:BatchGetItem',
          resource: t.arn,
          leadingKeys: (r.Keys ?? []).map((k) => scalar(k[t.hashKey]) ?? ''),
        };
      });
    case 'BatchWriteItem':
      return Object.entries(
        (body.RequestItems ?? {}) as Record<
          string,
          Array<{ PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }>
        >,
      ).map(([name, requests]) => {
        const t = table(name);
        return {
          action: 'dynamodb:BatchWriteItem',
          resource: t.arn,
          leadingKeys: requests.map((r) => scalar((r.PutRequest?.Item ?? r.DeleteRequest?.Key)?.[t.hashKey]) ?? ''),
        };
      });
    case 'TransactWriteItems':
      return ((body.TransactItems ?? []) as Array<Record<string, { TableName: string; Key?: Key; Item?: Key }>>).map(
        (item) => {
          const [kind, op] = Object.entries(item)[0]!;
          const action = {
            Put: 'PutItem',
            Update: 'UpdateItem',
            Delete: 'DeleteItem',
            ConditionCheck: 'ConditionCheckItem',
          }[kind];
          return onItem(`dynamodb:${action ?? kind}`, op.TableName, op.Key ?? op.Item);
        },
      );
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as Array<{ Get: { TableName: string; Key: Key } }>).map((item) =>
        onItem('dynamodb:GetItem', item.Get.TableName, item.Get.Key),
      );
    default:
      return [
        {
          action: `dynamodb:${operation}`,
          resource: body.TableName ? table(body.TableName).arn : '*',
        },
      ];
  }
};

export interface DynamoGateOptions {
  /** DynamoDB Local's endpoint. */
  upstream: string;
  tables: LocalTable[];
  /** Each function's identity-based policy statements, by its logical id. */
  policies: ReadonlyMap<string, readonly PolicyStatement[]>;
  port: number;
}

export const startDynamoGate = async (opts: DynamoGateOptions) => {
  const tables = new Map<string, TableKeys>(
    opts.tables.map((t) => [
      t.tableName,
      {
        arn: localResourceArn(t.logicalId),
        hashKey: hashOf(t.keySchema),
        indexHashKeys: new Map(t.globalSecondaryIndexes.map((g) => [g.IndexName, hashOf(g.KeySchema)])),
      },
    ]),
  );
  const upstream = new URL(opts.upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const deny = (res: http.ServerResponse, message: string) => {
    const body = JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message });
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const invoker = req.headers[INVOKER_HEADER] as string | undefined;
      if (invoker) {
        const [logicalId, roleName] = invoker.split(' ');
        const statements = opts.policies.get(logicalId!) ?? [];
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let body: Record<string, unknown> = {};
        try {
          body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          // DynamoDB answers malformed JSON itself (SerializationException); let it.
        }
        for (const check of authorizationChecks(operation, body, tables)) {
          const context: Record<string, string[]> = check.leadingKeys
            ? { 'dynamodb:LeadingKeys': check.leadingKeys }
            : {};
          const decision = evaluate(statements, { action: check.action, resource: check.resource, context });
          if (decision !== 'ALLOW') {
            const touched = check.leadingKeys?.length ? ` (partition keys: ${check.leadingKeys.join(', ')})` : '';
            const why =
              decision === 'EXPLICIT_DENY' ? 'with an explicit deny' : 'because no identity-based policy allows it';
            return deny(
              res,
              `User: arn:aws:sts::000000000000:assumed-role/${roleName}/${logicalId} is not authorized to perform: ${check.action} on resource: ${check.resource}${touched} ${why} [local IAM emulation]`,
            );
          }
        }
      }
      const headers: http.IncomingHttpHeaders = { ...req.headers, host: upstream.host };
      delete headers[INVOKER_HEADER];
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', (e) => {
        res.destroy(e);
      });
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
