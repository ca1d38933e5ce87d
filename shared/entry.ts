import * as z from 'zod';
import { isValidCreditCode } from './credit-code.ts';
import { text, normalizeName } from './text.ts';
import { AppError, conflict, validationError, type FieldIssue } from './errors.ts';
import {
  DOCUMENT_TYPES,
  type SCREENABLE_FIELDS,
  ORGANIZATION_TYPES,
  findTrack,
  intakeRoundOf,
  regionCode,
  slug,
  type CompetitionConfig,
  type EligibilityRules,
} from './competition.ts';

export const TEXT_LIMITS = {
  title: 200,
  summary: 2000,
  solution: 20000,
  organizationName: 120,
  personName: 60,
} as const;

const applicant = z.strictObject({
  organizationName: text(TEXT_LIMITS.organizationName),
  organizationType: z.enum(ORGANIZATION_TYPES),
  /** 统一社会信用代码 (18 chars) when the applicant is a registered Chinese organization. */
  creditCode: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'must be an 18-character unified social credit code')
    .refine(isValidCreditCode, 'the check character does not match (GB 32100-2015): check the code for a typo')
    .optional(),
  region: regionCode,
  foundedOn: z.iso.date().optional(),
  teamSize: z.number().int().min(1).max(100000).optional(),
  lead: z.strictObject({
    name: text(TEXT_LIMITS.personName),
    email: z.email().max(254),
    phone: z
      .string()
      .regex(/^\+?[0-9 -]{6,20}$/, 'must be a phone number')
      .optional(),
  }),
});

const document = z.strictObject({
  type: z.enum(DOCUMENT_TYPES),
  name: text(200),
  /** A reference to where the document is kept (upload is out of scope). */
  url: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .optional(),
});

/** Fields the applicant controls. Drafts may leave optional parts empty. */
export const entryContent = z.strictObject({
  title: text(TEXT_LIMITS.title),
  summary: text(TEXT_LIMITS.summary).optional(),
  solution: text(TEXT_LIMITS.solution).optional(),
  applicant,
  documents: z.array(document).max(20).default([]),
  /** Technical keywords; reviewer assignment matches them against the experts'. */
  keywords: z.array(text(40)).max(10).default([]),
  /** Language of the application materials. */
  language: z.enum(['zh', 'en']).default('zh'),
});
export type EntryContent = z.infer<typeof entryContent>;

export const createEntryBody = entryContent.extend({
  trackId: slug,
  /** 揭榜: the enterprise need this entry answers (published, open for answers, in the track's field). */
  needId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a need id')
    .optional(),
  /** Create and submit in one call, or keep a draft. */
  submit: z.boolean().default(false),
});
export type CreateEntryBody = z.infer<typeof createEntryBody>;

export const ENTRY_STATUSES = ['DRAFT', 'SUBMITTED', 'ELIGIBLE', 'INELIGIBLE', 'WITHDRAWN'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface ScreeningFailure {
  rule: string;
  reason: { zh: string; en: string };
}

export interface Screening {
  outcome: 'ELIGIBLE' | 'INELIGIBLE';
  failures: ScreeningFailure[];
  screenedAt: string;
  roundId: string;
  override?: { outcome: 'ELIGIBLE' | 'INELIGIBLE'; reason: string; by: string; at: string; previousOutcome: string };
}

export interface Entry extends EntryContent {
  entryId: string;
  competitionId: string;
  trackId: string;
  /** The enterprise need it answers (揭榜), fixed at creation. */
  needId?: string;
  status: EntryStatus;
  /** Key of the applicant organization used by the one-entry-per-track rule. */
  organizationKey: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  withdrawnAt?: string;
  /** Set when an organizer withdrew or disqualified the entry: who, when, why. */
  withdrawal?: { kind: 'WITHDRAWN' | 'DISQUALIFIED'; reason: string; by: string; at: string };
  screening?: Screening;
}

/** Credit code when given (unambiguous), else the normalized organization name. */
export const organizationKey = (a: EntryContent['applicant']): string =>
  a.creditCode ? `code:${a.creditCode}` : `name:${normalizeName(a.organizationName)}`;

/** Intake is open from opensAt through the deadline's last millisecond, by server time. */
export const assertIntakeOpen = (c: CompetitionConfig & { status: string }, now: Date): void => {
  const intake = intakeRoundOf(c);
  if (c.status !== 'PUBLISHED') throw conflict('COMPETITION_NOT_OPEN', 'The competition is not open for entries');
  if (now.getTime() < Date.parse(intake.opensAt)) {
    throw conflict('INTAKE_NOT_OPEN', `Submissions open at ${intake.opensAt}`, { opensAt: intake.opensAt });
  }
  if (now.getTime() > Date.parse(intake.submissionDeadline)) {
    throw conflict('DEADLINE_PASSED', `The submission deadline ${intake.submissionDeadline} has passed`, {
      submissionDeadline: intake.submissionDeadline,
    });
  }
};

export const assertTrackExists = (c: CompetitionConfig, trackId: string): void => {
  if (!findTrack(c, trackId)) {
    throw validationError('Unknown track', [
      { path: 'trackId', message: `no track "${trackId}" in this competition`, code: 'unknown_ref' },
    ]);
  }
};

/** What a submitted entry must have, beyond what a draft needs. */
export const submissionIssues = (e: EntryContent, c: CompetitionConfig, trackId: string): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  if (!e.summary) issues.push({ path: 'summary', message: 'a summary is required to submit', code: 'required' });
  if (findTrack(c, trackId)?.kind === 'CHALLENGE' && !e.solution) {
    issues.push({
      path: 'solution',
      message: 'a proposed solution is required for a challenge track',
      code: 'required',
    });
  }
  return issues;
};

export const assertSubmittable = (e: EntryContent, c: CompetitionConfig, trackId: string): void => {
  const issues = submissionIssues(e, c, trackId);
  if (issues.length) throw validationError('The entry is not complete enough to submit', issues);
};

const EDITABLE: ReadonlySet<EntryStatus> = new Set(['DRAFT', 'SUBMITTED']);

export const assertEditable = (e: Pick<Entry, 'status'>): void => {
  if (!EDITABLE.has(e.status))
    throw conflict('ENTRY_NOT_EDITABLE', `An entry in status ${e.status} cannot be changed`, { status: e.status });
};

/** Active entries count against the per-organization-per-track limit. */
export const isActive = (s: EntryStatus) => s !== 'WITHDRAWN';

const has = (e: EntryContent, field: (typeof SCREENABLE_FIELDS)[number]): boolean => {
  switch (field) {
    case 'summary':
      return !!e.summary;
    case 'solution':
      return !!e.solution;
    case 'applicant.foundedOn':
      return !!e.applicant.foundedOn;
    case 'applicant.creditCode':
      return !!e.applicant.creditCode;
    case 'applicant.lead.phone':
      return !!e.applicant.lead.phone;
    case 'applicant.teamSize':
      return e.applicant.teamSize !== undefined;
  }
};

/**
 * 形式审查: evaluate the competition's eligibility rules against one entry and
 * return every failing rule with a bilingual reason. Pure, so it is unit-tested
 * and the workflow's batches stay deterministic under retries.
 */
/** An entry's uploaded documents as screening sees them: the types scanned clean, and those still being scanned. */
export interface UploadedDocuments {
  clean: ReadonlySet<string>;
  scanning: ReadonlySet<string>;
}

export const screenEntry = (
  e: EntryContent,
  rules: EligibilityRules,
  uploads: UploadedDocuments,
): ScreeningFailure[] => {
  const failures: ScreeningFailure[] = [];
  for (const f of rules.requiredFields) {
    if (!has(e, f))
      failures.push({
        rule: `requiredField:${f}`,
        reason: { zh: `缺少必填项：${f}`, en: `Required field missing: ${f}` },
      });
  }
  // Only an uploaded file the malware scan found clean counts; a name in `documents` is not a document.
  for (const d of rules.requiredDocuments) {
    if (uploads.clean.has(d)) continue;
    failures.push(
      uploads.scanning.has(d)
        ? {
            rule: `requiredDocument:${d}`,
            reason: {
              zh: `必备材料 ${d} 在形式审查时仍在病毒扫描中，未能审查（可由组织方复核）`,
              en: `Required document ${d} was still being scanned for malware at screening time (organizers may review it)`,
            },
          }
        : {
            rule: `requiredDocument:${d}`,
            reason: { zh: `缺少必备材料：${d}`, en: `Required document missing: ${d}` },
          },
    );
  }
  if (rules.allowedRegions.length && !rules.allowedRegions.includes(e.applicant.region)) {
    failures.push({
      rule: 'region',
      reason: {
        zh: `申报主体所在地区 ${e.applicant.region} 不在允许范围内`,
        en: `Applicant region ${e.applicant.region} is not eligible`,
      },
    });
  }
  if (rules.allowedOrganizationTypes.length && !rules.allowedOrganizationTypes.includes(e.applicant.organizationType)) {
    failures.push({
      rule: 'organizationType',
      reason: {
        zh: `申报主体类型 ${e.applicant.organizationType} 不符合要求`,
        en: `Organization type ${e.applicant.organizationType} is not eligible`,
      },
    });
  }
  const founded = e.applicant.foundedOn;
  if (rules.foundedOnOrAfter || rules.foundedOnOrBefore) {
    if (!founded) {
      failures.push({ rule: 'foundedOn', reason: { zh: '未提供成立日期', en: 'Founding date not given' } });
    } else if (rules.foundedOnOrAfter && founded < rules.foundedOnOrAfter) {
      failures.push({
        rule: 'foundedOn',
        reason: {
          zh: `成立日期须不早于 ${rules.foundedOnOrAfter}`,
          en: `Must be founded on or after ${rules.foundedOnOrAfter}`,
        },
      });
    } else if (rules.foundedOnOrBefore && founded > rules.foundedOnOrBefore) {
      failures.push({
        rule: 'foundedOn',
        reason: {
          zh: `成立日期须不晚于 ${rules.foundedOnOrBefore}`,
          en: `Must be founded on or before ${rules.foundedOnOrBefore}`,
        },
      });
    }
  }
  return failures;
};

export const screeningOverrideBody = z.strictObject({
  outcome: z.enum(['ELIGIBLE', 'INELIGIBLE']),
  reason: text(1000),
});

/** An organizer takes an entry out of the competition, with the reason on the record. */
export const organizerWithdrawalBody = z.strictObject({
  kind: z.enum(['WITHDRAWN', 'DISQUALIFIED']),
  reason: text(1000),
});

/** Only screened entries can be overridden. */
export const assertOverridable = (e: Pick<Entry, 'status' | 'screening'>): void => {
  if (!e.screening || (e.status !== 'ELIGIBLE' && e.status !== 'INELIGIBLE')) {
    throw new AppError(409, 'NOT_SCREENED', 'Only screened entries can be overridden', { status: e.status });
  }
};
