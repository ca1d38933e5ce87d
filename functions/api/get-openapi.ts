import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// The committed document, generated from the route table (npm run openapi); a test fails when it is stale.
// This handler deliberately skips the zod-based wrapper: it takes no input, and the bundle stays small.
import document from '../../openapi.json' with { type: 'json' };

const body = JSON.stringify(document);

export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  },
  body,
});
