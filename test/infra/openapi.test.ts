import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiText } from '../../infra/openapi.ts';
import { routeList } from '../../functions/routes.ts';

describe('OpenAPI document', () => {
  it('the committed openapi.json matches the route table (run `npm run openapi` after changing routes or schemas)', () => {
    expect(readFileSync('openapi.json', 'utf8')).toBe(openApiText());
  });

  it('documents every route with its request schema and error shape', () => {
    const doc = JSON.parse(openApiText());
    for (const r of routeList()) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      expect(op.operationId).toBe(r.id);
      const mediaType = { csv: 'text/csv', form: 'application/x-www-form-urlencoded', json: 'application/json' }[
        r.bodyFormat ?? 'json'
      ];
      if (r.body) {
        const schema = op.requestBody.content[mediaType].schema;
        expect(schema.type ?? schema.oneOf ?? schema.anyOf).toBeDefined();
      }
    }
    const create = doc.paths['/competitions/{competitionId}/entries'].post;
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(create.responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
  });
});
