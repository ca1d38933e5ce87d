import * as z from 'zod';
import { redactText, type Identity } from './redaction.ts';
import type { CompetitionConfig, Round } from '../competition.ts';
import type { Entry } from '../entry.ts';
import { validationError, type FieldIssue } from '../errors.ts';
import { text } from '../text.ts';
import { reviewTotal } from './scoring.ts';

/** What the reviewer page posts (application/x-www-form-urlencoded, no JavaScript needed). */
export const reviewFormBody = z
  .record(z.string().max(100), z.string().max(5000))
  .refine((r) => Object.keys(r).length <= 60, 'too many fields');

export type ReviewAction = 'draft' | 'submit' | 'conflict';

export interface ParsedReviewForm {
  action: ReviewAction;
  scores: Record<string, number>;
  comment?: string;
  conflictReason?: string;
  lang?: 'zh' | 'en';
}

const commentText = text(5000);

/**
 * Reads the posted form against the round's rubric: every criterion an integer
 * in its range (a draft may leave some empty), the comment within limits and
 * required when the total is extreme (if the round says so).
 */
export const parseReviewForm = (
  form: Record<string, string>,
  c: Pick<CompetitionConfig, 'rubric'>,
  round: Round,
): ParsedReviewForm => {
  const issues: FieldIssue[] = [];
  const action = form.action;
  if (action !== 'draft' && action !== 'submit' && action !== 'conflict')
    throw validationError('Unknown action', [
      { path: 'action', message: 'must be draft, submit or conflict', code: 'invalid_value' },
    ]);
  const lang = form.lang === 'en' || form.lang === 'zh' ? form.lang : undefined;
  if (action === 'conflict') {
    const reason = text(1000).safeParse(form.conflictReason ?? '');
    if (!reason.success)
      throw validationError('Please say why you have a conflict of interest', [
        { path: 'conflictReason', message: reason.error.issues[0]!.message, code: 'required' },
      ]);
    return { action, scores: {}, conflictReason: reason.data, lang };
  }
  const scores: Record<string, number> = {};
  for (const k of c.rubric.criteria) {
    const raw = (form[`score.${k.criterionId}`] ?? '').trim();
    if (raw === '') {
      if (action === 'submit') issues.push({ path: `score.${k.criterionId}`, message: 'required', code: 'required' });
      continue;
    }
    const v = Number(raw);
    if (!/^\d+$/.test(raw) || v < k.minScore || v > k.maxScore) {
      issues.push({
        path: `score.${k.criterionId}`,
        message: `must be a whole number from ${k.minScore} to ${k.maxScore}`,
        code: 'range',
      });
    } else scores[k.criterionId] = v;
  }
  let comment: string | undefined;
  if ((form.comment ?? '').trim()) {
    const r = commentText.safeParse(form.comment);
    if (r.success) comment = r.data;
    else issues.push({ path: 'comment', message: r.error.issues[0]!.message, code: 'invalid' });
  }
  if (!issues.length && action === 'submit' && round.kind !== 'INTAKE' && round.commentRequiredOutside && !comment) {
    const total = reviewTotal(c.rubric.criteria, scores);
    const { min, max } = round.commentRequiredOutside;
    if (total < min || total > max)
      issues.push({
        path: 'comment',
        message: `a comment is required when the total (${total}) is below ${min} or above ${max}`,
        code: 'comment_required',
      });
  }
  if (issues.length) throw validationError('Some answers need attention', issues);
  return { action, scores, comment, lang };
};

/**
 * 盲评: what a reviewer of a blind round sees. Applicant identity never leaves
 * the server: names, organizations, e-mails, phones and credit codes are not
 * rendered, and every free text and keyword is redacted (see redaction.ts:
 * matched after Unicode normalization, so upper case, full-width letters or
 * zero-width characters do not let a name through; e-mail addresses, URLs,
 * domains and phone numbers are masked too).
 */
export const reviewerView = (e: Entry, blind: boolean) => {
  const identity: Identity = {
    organizationName: e.applicant.organizationName,
    personNames: [e.applicant.lead.name],
    emails: [e.applicant.lead.email],
    phones: e.applicant.lead.phone ? [e.applicant.lead.phone] : [],
    codes: e.applicant.creditCode ? [e.applicant.creditCode] : [],
  };
  const redact = (s?: string) => (s && blind ? redactText(s, identity) : s);
  return {
    entryId: e.entryId,
    trackId: e.trackId,
    title: redact(e.title)!,
    summary: redact(e.summary),
    solution: redact(e.solution),
    keywords: (e.keywords ?? []).map((k) => redact(k)!),
    documents: e.documents.map((d) => ({ type: d.type, name: blind ? undefined : d.name })),
    applicant: blind
      ? undefined
      : { organizationName: e.applicant.organizationName, region: e.applicant.region, lead: e.applicant.lead.name },
  };
};
