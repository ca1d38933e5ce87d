import type { FIELDS } from './competition.ts';
import type { DealStatus, MeetingStatus } from './matching.ts';
import { type AnswerStatus, type NeedStatus, type RegionFilter, investmentSortKey, regionBucket } from './needs.ts';

/**
 * The figures the center publishes about its enterprise needs, computed exactly from the stored records
 * (money in fen as BigInt, never floats): in total, by field and by the sponsor's region.
 *
 * - collected: needs that reached the center (submitted at least once, whatever became of them);
 *   intendedInvestment sums theirs.
 * - published: needs in the catalogue now.
 * - answers: answers whose entry was submitted and not withdrawn (a draft is not yet an answer);
 *   answered: needs with at least one; shortlisted: those answers the sponsor shortlisted (入围).
 * - answeringOrganizations: distinct organizations behind those answers (credit code, else name);
 *   crossRegion: those answering a need of a sponsor in another province (跨区域, both CN-xx codes);
 *   fromAbroad: those outside mainland China (a region whose country is not CN, e.g. SG, HK).
 * - matched: needs with at least one meeting held (对接); meetingsHeld counts those meetings.
 * - signed: needs with at least one signed deal; dealsSigned and contractAmount count the signed deals.
 */
export interface StatNeed {
  needId: string;
  status: NeedStatus;
  field: (typeof FIELDS)[number];
  sponsorRegion: string;
  intendedInvestment: string;
  submittedAt?: string;
}
export interface StatAnswer {
  needId: string;
  entryId: string;
  status: AnswerStatus;
}
/**
 * The answering entry as it stands now (kept on the answer, see `solverOf`); undefined when unknown.
 * `counted`: the entry was submitted and not withdrawn (a draft is not yet an answer).
 */
export interface StatEntry {
  counted: boolean;
  organizationKey: string;
  region: string;
}

const COUNTED_ENTRY = new Set(['SUBMITTED', 'ELIGIBLE', 'INELIGIBLE']);

/** What statistics need of an answering entry, written on its answer whenever the entry changes. */
export const solverOf = (e: { status: string; organizationKey: string; applicant: { region: string } }): StatEntry => ({
  counted: COUNTED_ENTRY.has(e.status),
  organizationKey: e.organizationKey,
  region: e.applicant.region,
});
export interface StatMeeting {
  needId: string;
  status: MeetingStatus;
}
export interface StatDeal {
  needId: string;
  status: DealStatus;
  amount: string;
}

export interface NeedFigures {
  needs: { collected: number; published: number; answered: number; matched: number; signed: number };
  intendedInvestment: string;
  answers: number;
  shortlisted: number;
  answeringOrganizations: { total: number; crossRegion: number; fromAbroad: number };
  meetingsHeld: number;
  dealsSigned: number;
  contractAmount: string;
}
export interface NeedStatistics {
  total: NeedFigures;
  byField: Record<string, NeedFigures>;
  bySponsorRegion: Partial<Record<RegionFilter, NeedFigures>>;
}

const fen = (amount: string) => BigInt(investmentSortKey(amount));
/** Fen back to a decimal amount in CNY, always with two decimals (as money is written in the records). */
export const yuan = (f: bigint): string => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
const country = (region: string) => region.split('-')[0];
/** A Chinese province-level code (CN-xx); a bare CN names no province and is never cross-region. */
const isProvince = (region: string) => region.startsWith('CN-');

export const needStatistics = (input: {
  needs: StatNeed[];
  answers: StatAnswer[];
  entries: Map<string, StatEntry>;
  meetings: StatMeeting[];
  deals: StatDeal[];
}): NeedStatistics => {
  const byNeed = new Map(input.needs.map((n) => [n.needId, n]));
  const answersOf = groupBy(
    input.answers.filter((a) => byNeed.has(a.needId) && input.entries.get(a.entryId)?.counted === true),
  );
  const heldOf = groupBy(input.meetings.filter((m) => m.status === 'HELD'));
  const signedOf = groupBy(input.deals.filter((d) => d.status === 'SIGNED'));

  const figures = (needs: StatNeed[]): NeedFigures => {
    const orgs = new Set<string>();
    const crossRegion = new Set<string>();
    const abroad = new Set<string>();
    let investment = 0n;
    let contract = 0n;
    const f = {
      collected: 0,
      published: 0,
      answered: 0,
      matched: 0,
      signed: 0,
      answers: 0,
      shortlisted: 0,
      meetingsHeld: 0,
      dealsSigned: 0,
    };
    for (const n of needs) {
      if (n.submittedAt) {
        f.collected += 1;
        investment += fen(n.intendedInvestment);
      }
      if (n.status === 'PUBLISHED') f.published += 1;
      const answers = answersOf.get(n.needId) ?? [];
      if (answers.length) f.answered += 1;
      f.answers += answers.length;
      for (const a of answers) {
        if (a.status === 'SHORTLISTED') f.shortlisted += 1;
        const e = input.entries.get(a.entryId)!;
        orgs.add(e.organizationKey);
        if (country(e.region) !== 'CN') abroad.add(e.organizationKey);
        else if (isProvince(e.region) && isProvince(n.sponsorRegion) && e.region !== n.sponsorRegion)
          crossRegion.add(e.organizationKey);
      }
      const held = heldOf.get(n.needId)?.length ?? 0;
      if (held) f.matched += 1;
      f.meetingsHeld += held;
      const deals = signedOf.get(n.needId) ?? [];
      if (deals.length) f.signed += 1;
      f.dealsSigned += deals.length;
      for (const d of deals) contract += fen(d.amount);
    }
    return {
      needs: {
        collected: f.collected,
        published: f.published,
        answered: f.answered,
        matched: f.matched,
        signed: f.signed,
      },
      intendedInvestment: yuan(investment),
      answers: f.answers,
      shortlisted: f.shortlisted,
      answeringOrganizations: { total: orgs.size, crossRegion: crossRegion.size, fromAbroad: abroad.size },
      meetingsHeld: f.meetingsHeld,
      dealsSigned: f.dealsSigned,
      contractAmount: yuan(contract),
    };
  };

  const group = (key: (n: StatNeed) => string) => {
    const groups = new Map<string, StatNeed[]>();
    for (const n of input.needs) groups.set(key(n), [...(groups.get(key(n)) ?? []), n]);
    return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, ns]) => [k, figures(ns)]));
  };
  return {
    total: figures(input.needs),
    byField: group((n) => n.field),
    bySponsorRegion: group((n) => regionBucket(n.sponsorRegion)),
  };
};

function groupBy<T extends { needId: string }>(items: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const list = m.get(i.needId);
    if (list) list.push(i);
    else m.set(i.needId, [i]);
  }
  return m;
}

/** The statistics as CSV: one row per group (total, each field, each sponsor region), UTF-8 with BOM for Excel. */
export const statisticsCsv = (s: NeedStatistics): string => {
  const header = [
    'group',
    'key',
    'needs_collected',
    'needs_published',
    'needs_answered',
    'needs_matched',
    'needs_signed',
    'intended_investment_cny',
    'answers',
    'shortlisted',
    'answering_organizations',
    'cross_region_organizations',
    'organizations_from_abroad',
    'meetings_held',
    'deals_signed',
    'contract_amount_cny',
  ];
  const row = (group: string, key: string, f: NeedFigures) =>
    [
      group,
      key,
      f.needs.collected,
      f.needs.published,
      f.needs.answered,
      f.needs.matched,
      f.needs.signed,
      f.intendedInvestment,
      f.answers,
      f.shortlisted,
      f.answeringOrganizations.total,
      f.answeringOrganizations.crossRegion,
      f.answeringOrganizations.fromAbroad,
      f.meetingsHeld,
      f.dealsSigned,
      f.contractAmount,
    ].join(',');
  const lines = [
    header.join(','),
    row('total', '', s.total),
    ...Object.entries(s.byField).map(([k, f]) => row('field', k, f)),
    ...Object.entries(s.bySponsorRegion).map(([k, f]) => row('sponsor_region', k, f!)),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
};
