import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalLambdas } from './lambdas.ts';
import type { LocalRoute } from './template.ts';

/** API Gateway's own payload cap for HTTP APIs (413 above it; the function's 6 MB apply below it). */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TIMED_OUT = Symbol('integration timeout');
const LOCAL_ADMIN_ARN = 'arn:aws:iam::000000000000:user/local-admin';
const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|javascript))/i;

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  names: string[];
  routeKey: string;
}

const compile = (r: LocalRoute): CompiledRoute => {
  const names: string[] = [];
  const src = r.path
    .split('/')
    .map((seg) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { ...r, pattern: new RegExp(`^${src}$`), names, routeKey: `${r.method} ${r.path}` };
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Serves the template's HTTP API routes with API Gateway v2 (payload 2.0)
 * events into the same handlers — and, where the template puts a CloudFront
 * distribution in front, stands in for it (its origin headers; not its WAF). Routes with IAM authorization require the
 * local admin key in `X-Admin-Key` and see the local admin as their principal.
 */
export const startHttpApi = async (opts: {
  routes: LocalRoute[];
  lambdas: LocalLambdas;
  port: number;
  adminKey: string;
  host?: string;
  /**
   * Headers the CloudFront distribution in front of the API adds to every request it forwards
   * (replacing any a client sent): the local server stands in for the distribution.
   */
  originHeaders?: Record<string, string>;
}) => {
  const routes = opts.routes.map(compile);
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, headers: Record<string, string | number | boolean> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers } as http.OutgoingHttpHeaders);
      res.end(body);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > API_GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', async () => {
      if (tooLarge) return send(413, JSON.stringify({ message: 'Request Entity Too Large' }));
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      let route: CompiledRoute | undefined;
      let match: RegExpExecArray | null = null;
      for (const r of routes) {
        if (r.method !== method) continue;
        match = r.pattern.exec(url.pathname);
        if (match) {
          route = r;
          break;
        }
      }
      if (!route || !match) return send(404, JSON.stringify({ message: 'Not Found' }));

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
      // API Gateway adds these; handlers build absolute URLs from them.
      headers['x-forwarded-proto'] = 'http';
      headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
      Object.assign(headers, opts.originHeaders);
      if (route.iam && !sameSecret(headers['x-admin-key'] ?? '', opts.adminKey))
        return send(403, JSON.stringify({ message: 'Forbidden' }));

      // What API Gateway does when it may not invoke the integration's function (its log names the cause).
      if (!route.invokeAllowed) {
        console.error(`[http-api] ${route.method} ${route.path}: the API may not invoke ${route.functionArn}`);
        return send(500, JSON.stringify({ message: 'Internal Server Error' }));
      }
      const raw = Buffer.concat(chunks);
      const isText = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match![i + 1]!)]));
      } catch {
        return send(400, JSON.stringify({ message: 'Bad Request' })); // malformed percent-encoding
      }
      const now = new Date();
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: route.routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        cookies: req.headers.cookie ? req.headers.cookie.split(';').map((c) => c.trim()) : undefined,
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: route.names.length ? params : undefined,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: route.routeKey,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          ...(route.iam
            ? {
                authorizer: {
                  iam: {
                    accessKey: 'local',
                    accountId: '000000000000',
                    callerId: 'local-admin',
                    principalOrgId: null,
                    userArn: LOCAL_ADMIN_ARN,
                    userId: 'local-admin',
                  },
                },
              }
            : {}),
        } as APIGatewayProxyEventV2['requestContext'],
        body: raw.length ? (isText ? raw.toString('utf8') : raw.toString('base64')) : undefined,
        isBase64Encoded: raw.length > 0 && !isText,
      };
      // The integration timeout (30 s): API Gateway answers 503 and stops waiting; the function runs on.
      let timer: NodeJS.Timeout | undefined;
      const integrationTimeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), route.timeoutMs);
      });
      try {
        const invoked = opts.lambdas.invoke(route.functionArn, event);
        invoked.catch(() => undefined); // settled after the timeout: nobody waits any more
        const result = (await Promise.race([invoked, integrationTimeout])) as
          | APIGatewayProxyStructuredResultV2
          | string
          | null
          | typeof TIMED_OUT;
        if (result === TIMED_OUT) return send(503, JSON.stringify({ message: 'Service Unavailable' }));
        if (result && typeof result === 'object' && 'statusCode' in result) {
          const body = result.body ?? '';
          const out: Record<string, string> = { ...(result.headers as Record<string, string>) };
          if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
          res.writeHead(result.statusCode ?? 200, out);
          res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
        } else {
          // API Gateway's inference for handlers that return a bare value.
          send(200, typeof result === 'string' ? result : JSON.stringify(result));
        }
      } catch {
        // A failed invocation — an error, a timeout, a request or response over Lambda's 6 MB limits.
        send(500, JSON.stringify({ message: 'Internal Server Error' }));
      } finally {
        clearTimeout(timer);
      }
    });
  });
  // Keep idle connections longer than clients do (API Gateway's own idle timeout is generous);
  // Node's 5 s default races keep-alive clients into ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((r) => server.listen(opts.port, opts.host ?? '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, close: () => new Promise<void>((r) => server.close(() => r())) };
};
