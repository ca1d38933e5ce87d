import * as z from 'zod';
import { FIELDS } from './competition.ts';
import { isValidCreditCode } from './credit-code.ts';
import { AppError, conflict } from './errors.ts';
import { bilingual, text } from './text.ts';

/**
 * Enterprise technology needs (企业需求, 企业出题): a company poses a problem and puts up the money;
 * organizers vet it (需求凝练) before it is published in the competition's catalogue, where solvers
 * find and answer it (揭榜).
 */

/** The sponsor's region: an ISO 3166-2 code; the three provinces and Shanghai of the Yangtze River Delta by name. */
export const DELTA_REGIONS = { 'CN-SH': '上海', 'CN-JS': '江苏', 'CN-ZJ': '浙江', 'CN-AH': '安徽' } as const;
export const sponsorRegion = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 code such as CN-SH (上海) or CN-GD');

/** The catalogue's region filter: a Delta region (by code or name) or everything else. */
export const REGION_FILTERS = ['CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH', 'other'] as const;
export type RegionFilter = (typeof REGION_FILTERS)[number];
export const REGION_FILTER_VALUES = [...REGION_FILTERS, '上海', '江苏', '浙江', '安徽', '其他'] as const;
const REGION_NAMES: Record<string, RegionFilter> = {
  上海: 'CN-SH',
  江苏: 'CN-JS',
  浙江: 'CN-ZJ',
  安徽: 'CN-AH',
  其他: 'other',
};
export const toRegionFilter = (v: (typeof REGION_FILTER_VALUES)[number]): RegionFilter =>
  REGION_NAMES[v] ?? (v as RegionFilter);
/** The bucket a sponsor's region falls in for filters and statistics. */
export const regionBucket = (code: string): RegionFilter => (code in DELTA_REGIONS ? (code as RegionFilter) : 'other');

/** 合作方式: how the sponsor would like to work with a solver. */
export const COOPERATION = {
  TECH_DEVELOPMENT: '技术开发',
  TECH_TRANSFER: '技术转让',
  TECH_LICENSE: '技术许可',
  JOINT_RESEARCH: '联合攻关',
  EQUITY: '股权合作',
  OTHER: '其他',
} as const;

/** Exact money in CNY (意向投入): a decimal string, never a float. */
export const cnyAmount = z
  .string()
  .regex(
    /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/,
    'must be a decimal amount in CNY with at most 15 integer digits and 2 decimals',
  );

/** The amount in fen, zero-padded to a fixed width, so that it sorts as a string. */
export const investmentSortKey = (amount: string): string => {
  const [whole, frac = ''] = amount.split('.');
  return `${whole}${frac.padEnd(2, '0')}`.padStart(17, '0');
};
/** Compares two decimal amounts exactly. */
export const compareAmounts = (a: string, b: string) => investmentSortKey(a).localeCompare(investmentSortKey(b));

const isoInstant = z.iso.datetime({ offset: true });

export const needContent = z.strictObject({
  sponsor: z.strictObject({
    name: text(120),
    creditCode: z
      .string()
      .transform((v) => v.trim().toUpperCase())
      .refine(isValidCreditCode, 'must be a valid unified social credit code (统一社会信用代码)'),
    region: sponsorRegion,
    industry: text(60),
  }),
  /** Never shown in the catalogue: for the organizer and, after a match, the solver. */
  contact: z.strictObject({
    name: text(60),
    email: z.email().max(254),
    phone: z.string().regex(/^\+?[0-9 ()-]{6,24}$/, 'must be a phone number'),
  }),
  title: bilingual(120),
  /** The public part of the need. */
  description: bilingual(4000),
  /** Shown only to solvers who answer the need (and to the organizer). */
  confidential: bilingual(4000).optional(),
  field: z.enum(FIELDS),
  indicators: z
    .array(z.strictObject({ name: text(60), target: text(60), unit: text(20).optional() }))
    .max(20)
    .default([]),
  intendedInvestment: z.strictObject({ amount: cnyAmount, currency: z.literal('CNY') }),
  cooperation: z
    .array(z.enum(Object.keys(COOPERATION) as [keyof typeof COOPERATION, ...Array<keyof typeof COOPERATION>]))
    .min(1)
    .max(6),
  answerDeadline: isoInstant,
});
export type NeedContent = z.infer<typeof needContent>;

/** A company posts a need as a draft, or straight to vetting (`submit: true`). */
export const postNeedBody = needContent.extend({ submit: z.boolean().default(false) });
export type PostNeedBody = z.infer<typeof postNeedBody>;

/**
 * DRAFT → SUBMITTED (the company asks for vetting) → PUBLISHED | RETURNED (to revise, then submit again)
 * | REJECTED; the company may withdraw at any point before REJECTED. Only PUBLISHED needs are public.
 */
export const NEED_STATUSES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'PUBLISHED', 'REJECTED', 'WITHDRAWN'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

export const VETTING_ACTIONS = ['PUBLISH', 'RETURN', 'REJECT'] as const;
export type VettingAction = (typeof VETTING_ACTIONS)[number];

/** A need's id (a ULID). */
export const needIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a need id');

const decisionFields = { action: z.enum(VETTING_ACTIONS), reason: text(1000).optional() };
/** Returning or rejecting a need takes a reason; publishing does not. */
const reasonUnlessPublished = <T extends z.ZodType<{ action: VettingAction; reason?: string }>>(schema: T) =>
  schema.refine((d) => d.action === 'PUBLISH' || d.reason !== undefined, {
    message: 'a reason is required to return or reject a need',
    path: ['reason'],
  });

export const needDecisionBody = reasonUnlessPublished(z.strictObject(decisionFields));
export type NeedDecision = z.infer<typeof needDecisionBody>;

export const MAX_BULK_NEED_DECISIONS = 100;
export const bulkNeedDecisionBody = z.strictObject({
  decisions: z
    .array(reasonUnlessPublished(z.strictObject({ needId: needIdSchema, ...decisionFields })))
    .min(1)
    .max(MAX_BULK_NEED_DECISIONS),
});

/** One step of a need's history: who did what, when and why (visible to the company). */
export interface NeedEvent {
  at: string;
  by: 'SPONSOR' | 'ORGANIZER';
  /** The organizer's IAM principal, for organizer steps. */
  principal?: string;
  action: 'CREATED' | 'UPDATED' | 'SUBMITTED' | 'WITHDRAWN' | VettingAction;
  reason?: string;
  status: NeedStatus;
}

export interface Need extends NeedContent {
  needId: string;
  competitionId: string;
  status: NeedStatus;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  publishedAt?: string;
  /** The last organizer decision, also in the history. */
  lastDecision?: { action: VettingAction; reason?: string; at: string };
  /** Text the catalogue's keyword search looks in (normalized; see searchText). */
  searchText: string;
  /** The import that brought the need in, for needs collected offline. */
  importId?: string;
  /** Deals recorded for the need (at most MAX_DEALS_PER_NEED). */
  dealCount?: number;
  /** The sponsor's signed link's version: sending a new link bumps it, and older links stop working. */
  linkVersion?: number;
  /** Experts of the pool the sponsor nominated to review the answers (where the competition allows it). */
  nominatedExperts?: string[];
  nominatedAt?: string;
  /** When the organizer last sent the sponsor's link (not a history step: it may be sent often). */
  linkSentAt?: string;
  version: number;
}

/** At most this many history steps per need: its history lives in the item and must stay bounded. */
export const MAX_NEED_EVENTS = 50;

export const assertSponsorEditable = (n: Pick<Need, 'status'>) => {
  if (n.status !== 'DRAFT' && n.status !== 'RETURNED')
    throw conflict(
      'NEED_NOT_EDITABLE',
      `A need can be edited only as a draft or when returned for revision (it is ${n.status})`,
    );
};

/** The step a sponsor action or an organizer decision takes from a status, or a 409 naming why not. */
export const nextStatus = (from: NeedStatus, action: NeedEvent['action']): NeedStatus => {
  const allowed: Partial<Record<NeedEvent['action'], { from: NeedStatus[]; to: NeedStatus }>> = {
    SUBMITTED: { from: ['DRAFT', 'RETURNED'], to: 'SUBMITTED' },
    WITHDRAWN: { from: ['DRAFT', 'SUBMITTED', 'RETURNED', 'PUBLISHED'], to: 'WITHDRAWN' },
    PUBLISH: { from: ['SUBMITTED'], to: 'PUBLISHED' },
    RETURN: { from: ['SUBMITTED', 'PUBLISHED'], to: 'RETURNED' },
    REJECT: { from: ['SUBMITTED'], to: 'REJECTED' },
  };
  const rule = allowed[action];
  if (!rule?.from.includes(from))
    throw conflict('NEED_STATUS_CONFLICT', `A need that is ${from} cannot be ${action.toLowerCase()}`);
  return rule.to;
};

export const assertAnswerable = (n: Pick<Need, 'status' | 'answerDeadline'>, now: Date) => {
  if (n.status !== 'PUBLISHED') throw conflict('NEED_NOT_PUBLISHED', 'This need is not open for answers');
  if (Date.parse(n.answerDeadline) <= now.getTime())
    throw new AppError(409, 'NEED_CLOSED', `Answers to this need closed at ${n.answerDeadline}`);
};

/**
 * Keyword search (q) looks for every whitespace-separated term as a substring of the need's normalized
 * text, so Chinese (no spaces between words) and English both work: NFKC, lower case, whitespace runs
 * collapsed. Title, description, indicators, industry and the sponsor's name are searched.
 */
export const normalizeForSearch = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
export const searchText = (n: NeedContent): string =>
  normalizeForSearch(
    [
      n.title.zh,
      n.title.en,
      n.description.zh,
      n.description.en,
      n.sponsor.name,
      n.sponsor.industry,
      ...n.indicators.flatMap((i) => [i.name, i.target, i.unit]),
    ]
      .filter(Boolean)
      .join(' \u0001 '),
  );
export const searchTerms = (q: string): string[] =>
  [...new Set(normalizeForSearch(q).split(' ').filter(Boolean))].slice(0, 5);

/** What anyone sees of a published need: no contact, no confidential part, no vetting internals. */
export const publicNeedView = (n: Need) => ({
  needId: n.needId,
  competitionId: n.competitionId,
  status: n.status,
  sponsor: { name: n.sponsor.name, region: n.sponsor.region, industry: n.sponsor.industry },
  title: n.title,
  description: n.description,
  field: n.field,
  indicators: n.indicators,
  intendedInvestment: n.intendedInvestment,
  cooperation: n.cooperation,
  answerDeadline: n.answerDeadline,
  publishedAt: n.publishedAt,
});

/** The catalogue's one line per need (what a list needs to show). */
export const catalogueLine = (
  n: Pick<
    Need,
    'needId' | 'title' | 'sponsor' | 'field' | 'intendedInvestment' | 'cooperation' | 'answerDeadline' | 'publishedAt'
  >,
) => ({
  needId: n.needId,
  title: n.title,
  sponsor: { name: n.sponsor.name, region: n.sponsor.region, industry: n.sponsor.industry },
  field: n.field,
  intendedInvestment: n.intendedInvestment,
  cooperation: n.cooperation,
  answerDeadline: n.answerDeadline,
  publishedAt: n.publishedAt,
});

/** 揭榜: an entry that answers a need, as its sponsor sees and decides it (入围 or not). */
export const ANSWER_STATUSES = ['ANSWERED', 'SHORTLISTED', 'DECLINED'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

export interface NeedAnswer {
  needId: string;
  entryId: string;
  competitionId: string;
  answeredAt: string;
  status: AnswerStatus;
  /** The sponsor's decisions: when, what, why (bounded like a need's history). */
  history: Array<{ at: string; action: 'SHORTLIST' | 'DECLINE'; reason?: string; status: AnswerStatus }>;
  /** The answering entry as statistics count it, kept up to date in every write of the entry. */
  solver?: { counted: boolean; organizationKey: string; region: string };
  version: number;
}

export const answerDecisionBody = z
  .strictObject({ action: z.enum(['SHORTLIST', 'DECLINE']), reason: text(1000).optional() })
  .refine((d) => d.action === 'SHORTLIST' || d.reason !== undefined, {
    message: 'a reason is required to decline an answer',
    path: ['reason'],
  });

/** What an answering solver sees of the need: the public part and the part shown only to answerers. */
export const answererNeedView = (n: Need) => ({
  ...publicNeedView(n),
  ...(n.confidential ? { confidential: n.confidential } : {}),
});

/** A sponsor nominates experts of the pool (by e-mail) to review the answers to its need; the list replaces the last. */
export const nominateExpertsBody = z.strictObject({
  experts: z
    .array(
      z
        .email()
        .max(254)
        .transform((e) => e.toLowerCase()),
    )
    .max(10)
    .refine((xs) => new Set(xs).size === xs.length, 'each expert once'),
});
