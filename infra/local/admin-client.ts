import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { REPO_ROOT } from '../function.ts';

/**
 * The organizer's HTTP client for the admin routes. Locally (the default, or API_URL on another local
 * port) it sends the local admin key. Against AWS (API_URL is the stack's `ApiUrl` output, an
 * execute-api address) it signs each request with SigV4, as the IAM authorizer on /admin/* requires,
 * with the credentials the AWS CLI would use (environment, profile, SSO, instance role).
 */
export interface AdminClient {
  /** Where it talks to, for messages. */
  target: string;
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

const EXECUTE_API = /^https:\/\/[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

export const adminClient = (
  opts: { apiUrl?: string; adminKey?: string } = { apiUrl: process.env.API_URL },
): AdminClient => {
  const base = (opts.apiUrl ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const region = EXECUTE_API.exec(base)?.[1];
  const send = async (method: string, p: string, body: unknown, headers: Record<string, string>) => {
    const r = await fetch(`${base}${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`${method} ${p} → ${r.status}: ${text.slice(0, 200)}`);
    }
    if (!r.ok) throw new Error(`${method} ${p} → ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  if (!region) {
    const keyFile = path.join(REPO_ROOT, '.local', 'admin-key');
    let key: string;
    try {
      key = opts.adminKey ?? readFileSync(keyFile, 'utf8').trim();
    } catch {
      throw new Error(
        `no local admin key at ${keyFile}: start the local stack (npm start) first, or set API_URL to the stack's ApiUrl`,
      );
    }
    return {
      target: `${base} (local stack)`,
      call: (method, p, body) => send(method, p, body, { 'content-type': 'application/json', 'x-admin-key': key }),
    };
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: fromNodeProviderChain(),
    sha256: Hash.bind(null, 'sha256'),
  });
  const { hostname } = new URL(base);
  return {
    target: `${base} (AWS, ${region}, SigV4)`,
    call: async (method, p, body) => {
      const url = new URL(`${base}${p}`);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const signed = await signer.sign({
        method,
        protocol: 'https:',
        hostname,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { host: hostname, ...(payload ? { 'content-type': 'application/json' } : {}) },
        body: payload,
      });
      // fetch sets Host itself (to the same value that was signed).
      const { host: _host, ...headers } = signed.headers;
      return send(method, p, body, headers);
    },
  };
};
