import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminClient } from '../../infra/local/admin-client.ts';

/** The organizer's CLI client: the local admin key locally, SigV4 (execute-api) against the stack on AWS. */
const captured: Array<{ url: string; headers: Record<string, string> }> = [];
const fakeFetch = async (url: string | URL, init?: RequestInit) => {
  captured.push({ url: String(url), headers: init?.headers as Record<string, string> });
  return new Response(JSON.stringify({ ok: true }), { status: 200 });
};
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  captured.length = 0;
});

describe('admin client', () => {
  it('signs requests to an execute-api URL with SigV4 for its region, and sends no admin key', async () => {
    vi.stubGlobal('fetch', fakeFetch);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    const client = adminClient({ apiUrl: 'https://abc123def4.execute-api.eu-central-1.amazonaws.com' });
    expect(client.target).toContain('SigV4');
    await client.call('GET', '/admin/competitions/c-1/progress?x=1');
    const [request] = captured;
    expect(request!.url).toBe(
      'https://abc123def4.execute-api.eu-central-1.amazonaws.com/admin/competitions/c-1/progress?x=1',
    );
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const authorization = request!.headers.authorization!;
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(authorization).toContain(`Credential=AKIDEXAMPLE/${date}/eu-central-1/execute-api/aws4_request`);
    // The signature covers the host (which fetch then sends as signed) and the time.
    expect(authorization).toMatch(/SignedHeaders=[^,]*\bhost\b[^,]*x-amz-date/);
    expect(authorization).toMatch(/Signature=[0-9a-f]{64}$/);
    expect(request!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request!.headers['x-admin-key']).toBeUndefined();
    expect(request!.headers.host).toBeUndefined();
  });

  it('sends the local admin key to any other URL, and explains a failed call', async () => {
    vi.stubGlobal('fetch', async (url: string | URL, init?: RequestInit) => {
      await fakeFetch(url, init);
      return new Response(JSON.stringify({ error: { code: 'NOT_FOUND' } }), { status: 404 });
    });
    const client = adminClient({ apiUrl: 'http://127.0.0.1:3999/', adminKey: 'k-123' });
    await expect(client.call('GET', '/admin/competitions/none/progress')).rejects.toThrow(
      'GET /admin/competitions/none/progress → 404 {"error":{"code":"NOT_FOUND"}}',
    );
    expect(captured[0]!.headers['x-admin-key']).toBe('k-123');
    expect(captured[0]!.headers.authorization).toBeUndefined();
  });
});
