import { describe, expect, it } from 'vitest';
import { expertsFromCsv, parseCsv } from '../../shared/review/experts.ts';
import type { AppError } from '../../shared/errors.ts';

const HEADER =
  'email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants';
const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return ((e as AppError).details as { issues: Array<{ path: string; code: string }> }).issues;
  }
  throw new Error('expected a validation error');
};

describe('expert CSV import', () => {
  it('parses RFC 4180: quotes, doubled quotes, commas and newlines in fields, CRLF, BOM', () => {
    expect(parseCsv('\uFEFFa,"b,c","say ""hi""",d\r\n"multi\nline",x,,\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'd'],
      ['multi\nline', 'x', '', ''],
    ]);
  });

  it('reads experts with list cells separated by ; or 、, lower-casing e-mails', () => {
    const experts = expertsFromCsv(
      `${HEADER}\n` +
        'Wang.Fang@Example.com,王芳,复旦大学,IC;AI,存算一体、低功耗,zh;en,12,"示例微电子有限公司;Example Ltd",li@example.com\n' +
        'chen@example.com,陈明,"Zhejiang University, Hangzhou",BIOMED,抗体,en,0,,\n',
    );
    expect(experts[0]).toMatchObject({
      email: 'wang.fang@example.com',
      fields: ['IC', 'AI'],
      keywords: ['存算一体', '低功耗'],
      languages: ['zh', 'en'],
      maxLoadPerRound: 12,
      conflicts: { organizations: ['示例微电子有限公司', 'Example Ltd'], applicants: ['li@example.com'] },
    });
    expect(experts[1]).toMatchObject({
      institution: 'Zhejiang University, Hangzhou',
      languages: ['en'],
      maxLoadPerRound: 0,
    });
  });

  it('reports every bad cell by line and column, and duplicate e-mails by both rows', () => {
    expect(
      issuesOf(() => expertsFromCsv(`${HEADER}\nnot-an-email,张三,某大学,QUANTUM,,zh,-1,,\n`)).map((i) => i.path),
    ).toEqual(['rows.2.email', 'rows.2.fields.0', 'rows.2.maxLoadPerRound']);
    const dup = issuesOf(() => expertsFromCsv(`${HEADER}\na@x.cn,甲,某大学,,,zh,1,,\nA@X.cn,乙,某大学,,,zh,1,,\n`));
    expect(dup).toEqual([{ path: 'rows.3.email', message: 'same e-mail as rows.2', code: 'duplicate_email' }]);
  });

  it('refuses a wrong header and an unterminated quote', () => {
    expect(issuesOf(() => expertsFromCsv('mail,name\nx,y\n')).map((i) => i.path)).toEqual(
      expect.arrayContaining(['header.email', 'header.mail']),
    );
    expect(issuesOf(() => expertsFromCsv(`${HEADER}\n"a@x.cn,甲\n`))[0]!.code).toBe('csv_quote');
  });
});
