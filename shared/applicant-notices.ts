import { inLanguage } from './text.ts';
import type { Screening } from './entry.ts';

/**
 * What an applicant is told at each step that changes their situation (the e-mails, through the outbox):
 * the entry submitted, the screening result (形式审查) with the rules it failed, each review round's
 * outcome, an award won. One message per entry and event: the key below makes a replayed step a no-op.
 */
export type Bilingual = { zh: string; en?: string };

export type ApplicantEvent =
  | { kind: 'ENTRY_SUBMITTED' }
  | { kind: 'SCREENING_RESULT'; screening: Pick<Screening, 'outcome' | 'failures'>; nextRound?: Bilingual }
  /** An organizer changed the screening outcome, with a reason (one message per change: `version` is the entry's). */
  | {
      kind: 'SCREENING_OVERRIDDEN';
      outcome: 'ELIGIBLE' | 'INELIGIBLE';
      reason: string;
      version: number;
      nextRound?: Bilingual;
    }
  | {
      kind: 'ROUND_RESULT';
      roundId: string;
      roundName: Bilingual;
      advanced: boolean;
      trackRank: number;
      /** The round after this one; none after the last round (the awards come next). */
      nextRound?: Bilingual;
    }
  | { kind: 'AWARD_WON'; awardId: string; awardName: Bilingual };

export type ApplicantNoticeKind = ApplicantEvent['kind'];

/** One message per entry and event (a round's outcome once per round, an award once per award). */
export const applicantNoticeKey = (entryId: string, event: ApplicantEvent) => {
  const which =
    event.kind === 'ROUND_RESULT'
      ? `#${event.roundId}`
      : event.kind === 'AWARD_WON'
        ? `#${event.awardId}`
        : event.kind === 'SCREENING_OVERRIDDEN'
          ? `#v${event.version}`
          : '';
  return `APPLICANT#${entryId}#${event.kind}${which}`;
};

/**
 * The message's lines, in the applicant's language: which entry, then what happened. Never the access
 * token (only a reminder that it exists, in the message's text).
 */
export const applicantNoticeDetails = (
  entry: { entryId: string; title: string; trackName: Bilingual },
  event: ApplicantEvent,
  lang: 'zh' | 'en',
): string[] => {
  const zh = lang === 'zh';
  const head = zh
    ? [`申报：${entry.title}`, `赛道：${inLanguage(entry.trackName, lang)}`, `申报编号：${entry.entryId}`]
    : [`Entry: ${entry.title}`, `Track: ${inLanguage(entry.trackName, lang)}`, `Entry id: ${entry.entryId}`];
  switch (event.kind) {
    case 'ENTRY_SUBMITTED':
      return head;
    case 'SCREENING_RESULT': {
      if (event.screening.outcome === 'ELIGIBLE') {
        const next = event.nextRound ? inLanguage(event.nextRound, lang) : undefined;
        return [
          ...head,
          zh
            ? `结果：通过形式审查${next ? `，进入${next}` : ''}`
            : `Result: eligible${next ? `; the entry goes on to the ${next}` : ''}`,
        ];
      }
      return [
        ...head,
        zh ? '结果：未通过形式审查。未满足的要求：' : 'Result: not eligible. Requirements not met:',
        ...event.screening.failures.map((f) => `  – ${zh ? f.reason.zh : f.reason.en}`),
      ];
    }
    case 'SCREENING_OVERRIDDEN': {
      const next = event.nextRound ? inLanguage(event.nextRound, lang) : undefined;
      const outcome =
        event.outcome === 'ELIGIBLE'
          ? zh
            ? `更正后结果：通过形式审查${next ? `，进入${next}` : ''}`
            : `Corrected result: eligible${next ? `; the entry goes on to the ${next}` : ''}`
          : zh
            ? '更正后结果：未通过形式审查'
            : 'Corrected result: not eligible';
      return [...head, outcome, zh ? `组委会复核意见：${event.reason}` : `The organizer’s reason: ${event.reason}`];
    }
    case 'ROUND_RESULT': {
      const round = inLanguage(event.roundName, lang);
      const next = event.nextRound ? inLanguage(event.nextRound, lang) : undefined;
      const rank = zh ? `（赛道排名第 ${event.trackRank}）` : ` (rank ${event.trackRank} in its track)`;
      const outcome = event.advanced
        ? next
          ? zh
            ? `结果：晋级${next}${rank}`
            : `Result: advances to the ${next}${rank}`
          : zh
            ? `结果：入围评奖${rank}`
            : `Result: shortlisted for the awards${rank}`
        : zh
          ? `结果：未晋级${rank}`
          : `Result: does not advance${rank}`;
      return [...head, zh ? `轮次：${round}` : `Round: ${round}`, outcome];
    }
    case 'AWARD_WON':
      return [
        ...head,
        zh ? `奖项：${inLanguage(event.awardName, lang)}` : `Award: ${inLanguage(event.awardName, lang)}`,
      ];
  }
};
