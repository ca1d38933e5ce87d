import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeIdentity, redactText, type Identity } from '../../shared/review/redaction.ts';

const identity: Identity = {
  organizationName: '保密测试科技有限公司',
  personNames: ['张三', 'Zhang San'],
  emails: ['zhang.san@acme-chip.cn'],
  phones: ['+86 138-0013-8000'],
  codes: ['91350100M000100Y43'],
};

/** Nothing of the identity survives, in any spelling the redactor normalizes away. */
const leaks = (out: string, id: Identity) => {
  const seen = normalizeIdentity(out);
  const names = [id.organizationName, '保密测试科技', ...id.personNames, ...id.emails, 'acme-chip', ...id.codes];
  return [
    ...names.filter((n) => seen.includes(normalizeIdentity(n))),
    ...id.phones.filter((p) => seen.replace(/\D/g, '').includes(p.replace(/\D/g, '').slice(-11))),
  ];
};

// Adversarial spellings: case, full-width forms, zero-width and spacing characters, reformatted numbers.
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const spread = (s: string, sep: string) => [...s].join(sep);
const variant = fc.oneof(
  fc.constantFrom(
    ...[identity.organizationName, '保密测试科技', ...identity.personNames, ...identity.emails, ...identity.codes],
  ),
  fc.constantFrom('ZHANG SAN', 'zhang san', 'ZHANG.SAN@ACME-CHIP.CN', 'www.acme-chip.cn', 'https://acme-chip.cn/about'),
  fc.constantFrom('138 0013 8000', '13800138000', '+86-138-0013-8000', '(+86) 138 0013 8000'),
);
const disguise = fc
  .tuple(
    variant,
    fc.constantFrom('', '\u200b', '\u200c', '\u2060', ' ', '\u3000', '\u00ad'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([v, sep, wide, upper]) => {
    let s = upper ? v.toUpperCase() : v;
    if (wide) s = fullWidth(s);
    return sep ? spread(s, sep) : s;
  });
const prose = fc.constantFrom(
  '本项目由',
  '研发团队来自',
  '。联系：',
  'Our team at ',
  ' leads the work; ',
  '核心技术',
  '',
);

describe('blind review redaction', () => {
  it('blacks out the applicant in free text and keeps the rest', () => {
    const out = redactText(
      '保密测试科技有限公司研发的存算一体架构，由张三负责，邮箱 zhang.san@acme-chip.cn。投资5000000元。',
      identity,
    );
    expect(out).toBe('■■■研发的存算一体架构，由■■■负责，邮箱 ■■■。投资5000000元。');
  });

  it('property: no disguised spelling of the identity survives, wherever it stands in the text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(prose, disguise), { minLength: 1, maxLength: 4 }), prose, (parts, tail) => {
        const text = parts.map(([p, d]) => `${p}${d}`).join('') + tail;
        const out = redactText(text, identity);
        expect(leaks(out, identity)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("masks anyone's e-mail, URL, domain and phone number, not amounts or years", () => {
    const out = redactText(
      '参考 https://github.com/x/y 与 foo@bar.org，电话 021-6543 2100，2026 年投入 12000000 元',
      identity,
    );
    expect(out).not.toMatch(/github|foo@bar|6543/);
    expect(out).toContain('2026 年投入 12000000 元');
  });
});
