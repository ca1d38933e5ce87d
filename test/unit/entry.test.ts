import { describe, expect, it } from 'vitest';
import { competitionConfig } from '../../shared/competition.ts';
import {
  assertIntakeOpen,
  createEntryBody,
  organizationKey,
  screenEntry,
  submissionIssues,
  type EntryContent,
} from '../../shared/entry.ts';
import type { AppError } from '../../shared/errors.ts';
import { charCount, escapeHtml } from '../../shared/text.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const DEADLINE = Date.parse('2026-06-30T15:59:59.999Z');
const { competitionId: _c, ...config } = competitionFixture({
  now: NOW,
  deadline: DEADLINE,
  requireBusinessPlan: true,
});
const competition = competitionConfig.parse(config);
const { submit: _s, trackId: _t, ...content } = createEntryBody.parse(demoEntry());

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('submission deadline (server time)', () => {
  it('accepts at the deadline’s last millisecond and refuses one millisecond later', () => {
    expect(codeOf(() => assertIntakeOpen(competition, new Date(DEADLINE)))).toBe('OK');
    expect(codeOf(() => assertIntakeOpen(competition, new Date(DEADLINE + 1)))).toBe('DEADLINE_PASSED');
  });

  it('refuses before intake opens and when the competition is not published', () => {
    const opens = Date.parse((competition.rounds[0] as { opensAt: string }).opensAt);
    expect(codeOf(() => assertIntakeOpen(competition, new Date(opens - 1)))).toBe('INTAKE_NOT_OPEN');
    expect(codeOf(() => assertIntakeOpen({ ...competition, status: 'DRAFT' }, new Date(NOW)))).toBe(
      'COMPETITION_NOT_OPEN',
    );
  });
});

describe('eligibility screening (形式审查)', () => {
  const rules = competition.eligibility;
  /** A clean business plan uploaded and scanned. */
  const plan = { clean: new Set(['BUSINESS_PLAN']), scanning: new Set<string>() };
  const none = { clean: new Set<string>(), scanning: new Set<string>() };

  it('passes an entry that meets every rule', () => {
    expect(screenEntry(content, rules, plan)).toEqual([]);
  });

  it('records each failing rule with a bilingual reason', () => {
    const e: EntryContent = {
      ...content,
      summary: undefined,
      documents: [],
      applicant: { ...content.applicant, region: 'CN-BJ' },
    };
    const failures = screenEntry(e, rules, none);
    expect(failures.map((f) => f.rule)).toEqual(['requiredField:summary', 'requiredDocument:BUSINESS_PLAN', 'region']);
    expect(failures[2]!.reason.zh).toContain('CN-BJ');
    expect(failures[2]!.reason.en).toContain('not eligible');
  });

  it('counts only a clean upload: a named document is none, one still being scanned is reported as such', () => {
    // The entry names a business plan in `documents`, but nothing was uploaded.
    expect(content.documents.map((d) => d.type)).toContain('BUSINESS_PLAN');
    expect(screenEntry(content, rules, none).map((f) => f.reason.en)).toEqual([
      'Required document missing: BUSINESS_PLAN',
    ]);
    const scanning = { clean: new Set<string>(), scanning: new Set(['BUSINESS_PLAN']) };
    expect(screenEntry(content, rules, scanning)[0]!.reason.en).toMatch(/still being scanned for malware/);
  });

  it('checks organization type and founding date windows', () => {
    const strict = { ...rules, allowedOrganizationTypes: ['UNIVERSITY' as const], foundedOnOrAfter: '2022-01-01' };
    expect(screenEntry(content, strict, plan).map((f) => f.rule)).toEqual(['organizationType', 'foundedOn']);
    const noDate = { ...content, applicant: { ...content.applicant, foundedOn: undefined } };
    expect(screenEntry(noDate, { ...rules, foundedOnOrBefore: '2030-01-01' }, plan).map((f) => f.reason.en)).toEqual([
      'Founding date not given',
    ]);
  });

  it('accepts listed international regions', () => {
    const sg = { ...content, applicant: { ...content.applicant, region: 'SG' } };
    expect(screenEntry(sg, rules, plan)).toEqual([]);
  });
});

describe('entry content', () => {
  it('requires a solution to submit to a challenge track, not to an open field', () => {
    expect(submissionIssues(content, competition, 'ic')).toEqual([]);
    expect(submissionIssues(content, competition, 'biomed-need-01').map((i) => i.path)).toEqual(['solution']);
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(charCount('集成电路')).toBe(4);
    expect(charCount('AI 芯片 🚀')).toBe(7);
    const title = '芯'.repeat(200);
    expect(createEntryBody.safeParse(demoEntry({ title })).success).toBe(true);
    expect(createEntryBody.safeParse(demoEntry({ title: `${title}芯` })).success).toBe(false);
    expect(createEntryBody.safeParse(demoEntry({ title: '🚀'.repeat(200) })).success).toBe(true);
  });

  it('refuses control characters but keeps HTML as plain text', () => {
    expect(createEntryBody.safeParse(demoEntry({ title: 'bad\u0007bell' })).success).toBe(false);
    const html = createEntryBody.parse(demoEntry({ title: '<script>alert(1)</script>' }));
    expect(html.title).toBe('<script>alert(1)</script>');
    expect(escapeHtml(html.title)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('identifies the organization by credit code, else by its normalized name', () => {
    const a = { ...content.applicant, organizationName: '杭州示例微电子有限公司' };
    const b = { ...content.applicant, organizationName: '  杭州示例微电子有限公司 ' };
    const fullWidth = { ...content.applicant, organizationName: 'ＡＢＣ Tech' };
    expect(organizationKey(a)).toBe(organizationKey(b));
    expect(organizationKey(fullWidth)).toBe('name:abc tech');
    expect(organizationKey({ ...a, creditCode: '91330100MA2XXXXX1X' })).toBe('code:91330100MA2XXXXX1X');
  });
});
