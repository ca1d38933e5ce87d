import * as z from 'zod';
import { MAX_BODY_BYTES, routeList, type RouteSpec } from '../functions/routes.ts';
import { IDEMPOTENCY_KEY } from '../functions/routes/spec.ts';

/**
 * OpenAPI 3.1 generated from the route table and its zod schemas (zod's own
 * JSON Schema output is draft 2020-12, the dialect OpenAPI 3.1 uses).
 */
const schemaOf = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, DEADLINE_PASSED' },
        message: { type: 'string' },
        details: {
          type: 'object',
          description: 'For validation errors: { location, issues: [{ path, message, code }] }',
        },
      },
    },
  },
};

const parameters = (r: RouteSpec) => {
  const out: unknown[] = [];
  for (const [where, obj] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!obj) continue;
    const js = schemaOf(obj) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema });
    }
  }
  if (r.auth === 'applicant' || r.auth === 'manager')
    out.push({ name: 'Authorization', in: 'header', required: true, schema: { type: 'string', pattern: '^Bearer ' } });
  if (r.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
    });
  }
  return out;
};

const errorResponses = (r: RouteSpec) => {
  const codes: Record<string, string> = { '404': 'Not found (unknown id, or a token that does not grant it)' };
  if (r.body || r.query)
    Object.assign(codes, {
      '400': 'Malformed JSON or missing body',
      '413': `Body over ${MAX_BODY_BYTES} bytes`,
      '415': `Body is not ${r.bodyFormat === 'csv' ? 'text/csv' : r.bodyFormat === 'form' ? 'an HTML form' : 'application/json'}`,
      '422': 'Validation failed: details.issues name the fields',
    });
  if (r.method !== 'GET')
    codes['409'] = 'Conflicts with the current state (deadline passed, limit reached, concurrent change)';
  if (r.auth === 'applicant' || r.auth === 'manager') codes['401'] = 'No bearer token';
  if (r.auth === 'manager') codes['410'] = 'The workspace token expired (end of the term) or was replaced';
  if (r.auth === 'admin') codes['403'] = 'Not authorized (IAM in AWS, X-Admin-Key locally)';
  return Object.fromEntries(
    Object.entries(codes).map(([c, d]) => [
      c,
      { description: d, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
};

export const buildOpenApi = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeList()) {
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.id,
      summary: r.summary,
      tags: [
        r.auth === 'admin'
          ? 'organizer'
          : r.auth === 'applicant'
            ? 'applicant'
            : r.auth === 'manager'
              ? 'project manager'
              : 'public',
      ],
      ...(r.auth === 'admin'
        ? { security: [{ iam: [] }] }
        : r.auth === 'applicant'
          ? { security: [{ entryToken: [] }] }
          : r.auth === 'manager'
            ? { security: [{ managerToken: [] }] }
            : {}),
      parameters: parameters(r),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content:
                r.bodyFormat === 'csv'
                  ? { 'text/csv': { schema: { type: 'string' } } }
                  : r.bodyFormat === 'form'
                    ? { 'application/x-www-form-urlencoded': { schema: schemaOf(r.body) } }
                    : { 'application/json': { schema: schemaOf(r.body) } },
            },
          }
        : {}),
      responses: {
        [String(r.okStatus)]: {
          description: 'Success',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        ...errorResponses(r),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Innovation challenge API',
      version: '0.1.0',
      description: 'Competitions (创新挑战赛), entries and rounds. Errors are { error: { code, message, details } }.',
    },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        entryToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The accessToken returned when the entry was created',
        },
        managerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The token of the project manager’s workspace link (the last part of /project-manager/{token}), valid for the appointment’s term',
        },
        iam: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS SigV4 (IAM) in AWS; locally the X-Admin-Key header',
        },
      },
    },
  };
};

export const openApiText = () => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
