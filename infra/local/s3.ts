import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Busboy from 'busboy';

/**
 * A local stand-in for the S3 the stack uses — an emulation, not S3: browser
 * uploads by presigned POST with the policy **enforced** as S3 enforces it
 * (signature, expiry, every field covered, exact key and content type,
 * `content-length-range`: a file one byte over is refused by this "storage",
 * not by our API), presigned GET with signature and expiry checked, versions,
 * object tags, and the bucket policy's tag condition applied to presigned
 * reads (nothing untagged or infected can be downloaded). Calls the stack's
 * own functions make with the SDK (header-signed) are served without checking
 * their signature: they stand for the roles the bucket policy exempts.
 * Each new object is announced as S3's EventBridge "Object Created" event.
 */
export interface LocalBucket {
  name: string;
  /** A Deny on GetObject unless this tag has this value (from the template's bucket policy), for keys under `prefix`. */
  readRequiresTag?: { key: string; value: string; prefix: string };
}

interface Version {
  versionId: string;
  size: number;
  etag: string;
  contentType: string;
  contentDisposition?: string;
  lastModified: string;
  tags: Record<string, string>;
}

/** A body sent with `Content-Encoding: aws-chunked` (the SDK's streaming upload): its data, without the framing. */
const decodeAwsChunked = (raw: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body is malformed');
    const size = Number.parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body is malformed');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
};

export interface ObjectCreatedEvent {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  versionId: string;
  reason: 'PostObject' | 'PutObject';
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message);
  }
  xml() {
    const extra = Object.entries(this.extra)
      .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${this.code}</Code><Message>${xmlEscape(this.message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`;
  }
}

/** Form fields a POST policy need not name (S3's documented exemptions). */
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy']);

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const signingKey = (secret: string, date: string, region: string) =>
  hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const amzDate = (s: string) =>
  Date.parse(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );

export class LocalS3 {
  private readonly root: string;
  private readonly temporary: boolean;
  private readonly buckets = new Map<string, LocalBucket>();
  private server?: http.Server;
  url = '';

  constructor(
    buckets: LocalBucket[],
    private readonly credentials: { accessKeyId: string; secretAccessKey: string },
    private readonly onObjectCreated: (e: ObjectCreatedEvent) => void,
    dataDir?: string,
  ) {
    this.temporary = !dataDir;
    this.root = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-s3-'));
    for (const b of buckets) {
      this.buckets.set(b.name, b);
      fs.mkdirSync(path.join(this.root, b.name, 'versions'), { recursive: true });
    }
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        const err = e instanceof S3Error ? e : new S3Error(500, 'InternalError', String((e as Error).message));
        if (!res.headersSent) res.writeHead(err.status, { 'content-type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : err.xml());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.temporary) fs.rmSync(this.root, { recursive: true, force: true });
  }

  // --- storage -------------------------------------------------------------------------------

  private indexFile(bucket: string) {
    return path.join(this.root, bucket, 'index.json');
  }
  private index(bucket: string): Record<string, Version[]> {
    const f = this.indexFile(bucket);
    return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, Version[]>) : {};
  }
  private saveIndex(bucket: string, index: Record<string, Version[]>) {
    fs.writeFileSync(this.indexFile(bucket), JSON.stringify(index), { mode: 0o600 });
  }
  private bytesFile(bucket: string, versionId: string) {
    return path.join(this.root, bucket, 'versions', versionId);
  }

  /** The object's versions, newest last. */
  versions(bucket: string, key: string): Version[] {
    return this.index(bucket)[key] ?? [];
  }

  private find(bucket: string, key: string, versionId?: string | null): Version {
    const versions = this.versions(bucket, key);
    const v = versionId ? versions.find((x) => x.versionId === versionId) : versions.at(-1);
    if (!v)
      throw new S3Error(404, versionId ? 'NoSuchVersion' : 'NoSuchKey', 'The specified key does not exist.', {
        Key: key,
      });
    return v;
  }

  read(bucket: string, key: string, versionId?: string): Buffer {
    return fs.readFileSync(this.bytesFile(bucket, this.find(bucket, key, versionId).versionId));
  }

  setTags(bucket: string, key: string, versionId: string | undefined, tags: Record<string, string>): string {
    const index = this.index(bucket);
    const v = this.find(bucket, key, versionId);
    const stored = index[key]!.find((x) => x.versionId === v.versionId)!;
    stored.tags = tags;
    this.saveIndex(bucket, index);
    return v.versionId;
  }

  tags(bucket: string, key: string, versionId?: string): Record<string, string> {
    return this.find(bucket, key, versionId).tags;
  }

  private put(bucket: string, key: string, bytes: Buffer, contentType: string, contentDisposition?: string): Version {
    const version: Version = {
      versionId: randomUUID().replace(/-/g, ''),
      size: bytes.length,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      contentType,
      ...(contentDisposition ? { contentDisposition } : {}),
      lastModified: new Date().toUTCString(),
      tags: {},
    };
    fs.writeFileSync(this.bytesFile(bucket, version.versionId), bytes, { mode: 0o600 });
    const index = this.index(bucket);
    index[key] = [...(index[key] ?? []), version];
    this.saveIndex(bucket, index);
    return version;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const bucket = this.buckets.get(decodeURIComponent(bucketName ?? ''));
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    const key = decodeURIComponent(rest.join('/'));
    const method = req.method ?? 'GET';
    if (method === 'POST' && !key) return this.postObject(req, res, bucket);
    if (!key) throw new S3Error(501, 'NotImplemented', `${method} on a bucket is not emulated locally`);
    const versionId = url.searchParams.get('versionId') ?? undefined;
    if (url.searchParams.has('tagging')) {
      if (method === 'GET') {
        const tags = this.tags(bucket.name, key, versionId);
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging><TagSet>${Object.entries(tags)
          .map(([k, v]) => `<Tag><Key>${xmlEscape(k)}</Key><Value>${xmlEscape(v)}</Value></Tag>`)
          .join('')}</TagSet></Tagging>`;
        res.writeHead(200, {
          'content-type': 'application/xml',
          'x-amz-version-id': this.find(bucket.name, key, versionId).versionId,
        });
        return res.end(body);
      }
      if (method === 'PUT') {
        const xml = (await readBody(req)).toString('utf8');
        const tags: Record<string, string> = {};
        for (const m of xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g))
          tags[unxml(m[1]!)] = unxml(m[2]!);
        if (Object.keys(tags).length > 10)
          throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
        const v = this.setTags(bucket.name, key, versionId, tags);
        res.writeHead(200, { 'x-amz-version-id': v });
        return res.end();
      }
    }
    if (method === 'PUT') return this.putObject(req, res, bucket, key);
    if (method === 'GET' || method === 'HEAD') {
      if (url.searchParams.has('X-Amz-Signature')) this.checkPresignedGet(req, url, bucket, key, versionId);
      else if (!req.headers.authorization) throw new S3Error(403, 'AccessDenied', 'Access Denied');
      const v = this.find(bucket.name, key, versionId);
      const bytes = fs.readFileSync(this.bytesFile(bucket.name, v.versionId));
      const headers: Record<string, string | number> = {
        'content-type': url.searchParams.get('response-content-type') ?? v.contentType,
        'content-length': bytes.length,
        etag: v.etag,
        'last-modified': v.lastModified,
        'x-amz-version-id': v.versionId,
        'accept-ranges': 'bytes',
      };
      const disposition = url.searchParams.get('response-content-disposition') ?? v.contentDisposition;
      if (disposition) headers['content-disposition'] = disposition;
      res.writeHead(200, headers);
      return res.end(method === 'HEAD' ? undefined : bytes);
    }
    throw new S3Error(501, 'NotImplemented', `${method} is not emulated locally`);
  }

  /**
   * A presigned GET: the signature is computed again (SigV4 query authentication) from the request
   * and the local credentials; an expired or altered link is refused, and so is any object the
   * bucket policy would not let a non-exempt role read (GuardDuty's tag missing or not clean).
   */
  private checkPresignedGet(
    req: http.IncomingMessage,
    url: URL,
    bucket: LocalBucket,
    key: string,
    versionId?: string,
  ): void {
    const q = url.searchParams;
    const date = q.get('X-Amz-Date') ?? '';
    const expires = Number(q.get('X-Amz-Expires'));
    const signedAt = amzDate(date);
    if (!Number.isFinite(signedAt) || !Number.isFinite(expires))
      throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Date and X-Amz-Expires are required');
    if (Date.now() > signedAt + expires * 1000)
      throw new S3Error(403, 'AccessDenied', 'Request has expired', {
        Expires: new Date(signedAt + expires * 1000).toISOString(),
      });
    // SigV4 query authentication, computed again from the request: canonical request → string to sign.
    const encode = (x: string) =>
      encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const canonicalQuery = [...q]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [encode(k), encode(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? 'host').split(';');
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const canonicalRequest = [
      req.method,
      rawPath,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders.join(';'),
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const [accessKey, day, region] = (q.get('X-Amz-Credential') ?? '').split('/');
    const scope = (q.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      date,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const signature = hmac(
      signingKey(this.credentials.secretAccessKey, day ?? '', region ?? ''),
      stringToSign,
    ).toString('hex');
    if (accessKey !== this.credentials.accessKeyId || !sameHex(signature, q.get('X-Amz-Signature') ?? ''))
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    const rule = bucket.readRequiresTag;
    if (rule && key.startsWith(rule.prefix) && this.tags(bucket.name, key, versionId)[rule.key] !== rule.value)
      throw new S3Error(403, 'AccessDenied', 'Access Denied');
  }

  /** PutObject from an SDK (the stack's own functions, standing for their roles); announced like any new object. */
  private async putObject(req: http.IncomingMessage, res: http.ServerResponse, bucket: LocalBucket, key: string) {
    if (!req.headers.authorization) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    const raw = await readBody(req);
    const bytes = /aws-chunked/.test(String(req.headers['content-encoding'] ?? '')) ? decodeAwsChunked(raw) : raw;
    const header = (name: string) =>
      typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined;
    const v = this.put(
      bucket.name,
      key,
      bytes,
      header('content-type') ?? 'binary/octet-stream',
      header('content-disposition'),
    );
    res.writeHead(200, { etag: v.etag, 'x-amz-version-id': v.versionId });
    res.end();
    this.onObjectCreated({
      bucket: bucket.name,
      key,
      size: v.size,
      versionId: v.versionId,
      etag: v.etag,
      reason: 'PutObject',
    });
  }

  /** A browser-form upload (S3 POST Object with a SigV4 POST policy), checked as S3 checks it. */
  private async postObject(req: http.IncomingMessage, res: http.ServerResponse, bucket: LocalBucket) {
    const { fields, file } = await parseForm(req);
    const lower = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
    const policyB64 = lower.policy;
    if (!policyB64 || !lower['x-amz-signature'] || !lower['x-amz-credential'] || !lower.key)
      throw new S3Error(
        400,
        'InvalidArgument',
        'Bucket POST must contain a policy, a signature, a credential and a key',
      );
    // The signature over the base64 policy, with the key of the credential's date and region.
    const [accessKey, day, region, service] = lower['x-amz-credential'].split('/');
    if (accessKey !== this.credentials.accessKeyId || service !== 's3')
      throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    const expected = hmac(signingKey(this.credentials.secretAccessKey, day ?? '', region ?? ''), policyB64).toString(
      'hex',
    );
    if (!sameHex(expected, lower['x-amz-signature']))
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    let policy: { expiration?: string; conditions?: unknown[] };
    try {
      policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
    } catch {
      throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    }
    if (!policy.expiration || !(Date.parse(policy.expiration) > Date.now()))
      throw new S3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    if (!file) throw new S3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    const values: Record<string, string> = { ...lower, bucket: bucket.name };
    const covered = new Set<string>();
    let range: [number, number] | undefined;
    const failed = (c: unknown) =>
      new S3Error(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
    for (const c of policy.conditions ?? []) {
      if (Array.isArray(c)) {
        const [op, field, arg, arg2] = c as [string, string, unknown, unknown];
        if (op === 'content-length-range') {
          range = [Number(field), Number(arg)];
          continue;
        }
        const name = String(field).replace(/^\$/, '').toLowerCase();
        covered.add(name);
        const v = values[name] ?? '';
        if (op === 'eq' && v !== arg) throw failed(c);
        if (op === 'starts-with' && !v.startsWith(String(arg))) throw failed(c);
        if (op !== 'eq' && op !== 'starts-with')
          throw new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: unknown condition ${op}`);
        void arg2;
      } else if (c && typeof c === 'object') {
        for (const [k, want] of Object.entries(c as Record<string, string>)) {
          covered.add(k.toLowerCase());
          if ((values[k.toLowerCase()] ?? '') !== want) throw failed(c);
        }
      }
    }
    const extra = Object.keys(lower).filter(
      (k) => !EXEMPT_FIELDS.has(k) && !k.startsWith('x-ignore-') && !covered.has(k),
    );
    if (extra.length)
      throw new S3Error(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
    if (range && file.bytes.length > range[1])
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
        ProposedSize: file.bytes.length,
        MaxSizeAllowed: range[1],
      });
    if (range && file.bytes.length < range[0])
      throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
        ProposedSize: file.bytes.length,
        MinSizeAllowed: range[0],
      });
    const key = fields.key!;
    const v = this.put(bucket.name, key, file.bytes, lower['content-type'] ?? 'binary/octet-stream');
    const status =
      Number(lower.success_action_status) === 201 ? 201 : Number(lower.success_action_status) === 200 ? 200 : 204;
    res.writeHead(status, {
      etag: v.etag,
      'x-amz-version-id': v.versionId,
      location: `${this.url}/${bucket.name}/${key}`,
    });
    res.end(
      status === 201
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xmlEscape(`${this.url}/${bucket.name}/${key}`)}</Location><Bucket>${xmlEscape(bucket.name)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(v.etag)}</ETag></PostResponse>`
        : undefined,
    );
    this.onObjectCreated({
      bucket: bucket.name,
      key,
      size: v.size,
      etag: v.etag,
      versionId: v.versionId,
      reason: 'PostObject',
    });
  }
}

const unxml = (s: string) =>
  s.replace(/&(lt|gt|amp|apos|quot);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!);

const readBody = (req: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** The form's fields (those before the file, as S3 reads them) and the file. */
const parseForm = (req: http.IncomingMessage): Promise<{ fields: Record<string, string>; file?: { bytes: Buffer } }> =>
  new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { fields: 50, files: 1, fieldSize: 20_000 } });
    } catch {
      reject(new S3Error(412, 'PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { bytes: Buffer } | undefined;
    let seenFile = false;
    bb.on('field', (name, value) => {
      if (!seenFile) fields[name] = value; // fields after the file are ignored, as S3 does
    });
    bb.on('file', (_name, stream) => {
      seenFile = true;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        file = { bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('close', () => resolve({ fields, file }));
    bb.on('error', reject);
    req.pipe(bb);
  });
