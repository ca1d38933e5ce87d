import { api } from '../lib/http.ts';
import { routes } from '../routes.ts';
// The committed document, generated from the route table (npm run openapi); a test fails when it is stale.
import document from '../../openapi.json' with { type: 'json' };

export const handler = api(routes.getOpenApi, async () => ({ body: document, headers: { 'cache-control': 'public, max-age=300' } }));
