import { describe, expect, it } from 'vitest';
import { checkVersion, signLink, verifyLink, type LinkClaims } from '../../shared/links.ts';

const KEY = `${'k'.repeat(32)}-current`;
const OLD = `${'o'.repeat(32)}-previous`;
const NOW = new Date('2026-06-01T00:00:00Z');
const claims: LinkClaims = {
  purpose: 'review',
  subject: 'ASSIGN#01ABC',
  version: 3,
  expiresAt: new Date('2026-06-10T15:59:59Z'),
};

describe('signed links', () => {
  const token = signLink(claims, KEY);

  it('verifies a link for its purpose until it expires', () => {
    expect(verifyLink(token, 'review', [KEY], NOW)).toEqual({
      ok: true,
      claims: { ...claims, expiresAt: new Date('2026-06-10T15:59:59Z') },
    });
    expect(verifyLink(token, 'review', [KEY], new Date('2026-06-10T15:59:58Z')).ok).toBe(true);
    expect(verifyLink(token, 'review', [KEY], new Date('2026-06-10T15:59:59Z'))).toEqual({
      ok: false,
      code: 'LINK_EXPIRED',
    });
    expect(verifyLink(token, 'appointment', [KEY], NOW)).toEqual({ ok: false, code: 'INVALID_LINK' });
  });

  it('refuses any tampering: payload, signature, extra parts, wrong key', () => {
    const [payload, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ p: 'review', s: 'ASSIGN#OTHER', v: 3, e: 1893456000 })).toString(
      'base64url',
    );
    for (const t of [
      `${forged}.${sig}`,
      `${payload}.${sig.slice(0, -1)}A`,
      `${payload}.${sig}.x`,
      `${payload}`,
      '',
      'a.b',
      `${payload}.${'A'.repeat(43)}`,
    ]) {
      expect(verifyLink(t, 'review', [KEY], NOW)).toEqual({ ok: false, code: 'INVALID_LINK' });
    }
    expect(verifyLink(token, 'review', [OLD], NOW)).toEqual({ ok: false, code: 'INVALID_LINK' });
  });

  it('keeps links signed with the previous key valid during a rotation', () => {
    const old = signLink(claims, OLD);
    expect(verifyLink(old, 'review', [KEY, OLD], NOW).ok).toBe(true);
    expect(verifyLink(old, 'review', [KEY], NOW).ok).toBe(false);
  });

  it('is revoked when the stored version moves on or the subject is revoked', () => {
    const check = verifyLink(token, 'review', [KEY], NOW);
    expect(checkVersion(check, { version: 3 }).ok).toBe(true);
    expect(checkVersion(check, { version: 4 })).toEqual({ ok: false, code: 'LINK_REVOKED' });
    expect(checkVersion(check, { version: 3, revoked: true })).toEqual({ ok: false, code: 'LINK_REVOKED' });
    expect(checkVersion(check, undefined)).toEqual({ ok: false, code: 'INVALID_LINK' });
  });

  it('refuses short keys', () => {
    expect(() => signLink(claims, 'short')).toThrow(/32 bytes/);
  });
});
