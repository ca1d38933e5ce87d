import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// The committed document, generated from the route table (npm run openapi); a test fails when it is stale.
// This handler skips the zod-based wrapper (it takes no input) but is logged and traced like every other.
import document from '../../openapi.json' with { type: 'json' };
import { observed } from '../runtime/observability.ts';

const body = JSON.stringify(document);

export const handler = middy<unknown, APIGatewayProxyStructuredResultV2>()
  .use(observed())
  .handler(async () => ({
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
    body,
  }));
