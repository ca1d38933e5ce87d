import * as z from 'zod';
import { slug } from '../ids.ts';
import { text } from '../text.ts';

/**
 * What an organizer sends to the award workflow's decision step — through the
 * admin route, or as the task output of `aws stepfunctions send-task-success`
 * (the console shows the token in the step's input). Amendments need a reason.
 */
const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');
const reason = text(1000);

export const amendment = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('MOVE'), entryId, fromAwardId: slug, toAwardId: slug, reason }),
  z.strictObject({ op: z.literal('ADD'), entryId, awardId: slug, reason }),
  z.strictObject({ op: z.literal('REMOVE'), entryId, awardId: slug, reason }),
]);

export const awardDecision = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('APPROVE'), reason: reason.optional(), by: z.string().max(300).optional() }),
  z.strictObject({
    action: z.literal('AMEND'),
    amendments: z.array(amendment).min(1).max(100),
    by: z.string().max(300).optional(),
  }),
  z.strictObject({ action: z.literal('REJECT'), reason, by: z.string().max(300).optional() }),
]);
export type AwardDecision = z.infer<typeof awardDecision>;

const decimalMoney = z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/, 'must be a decimal with at most 2 decimals');

/** The special review meeting's decision (专题会审议) on a project. */
export const meetingDecision = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('APPROVE'),
    amount: decimalMoney,
    minutes: text(2000),
    by: z.string().max(300).optional(),
  }),
  z.strictObject({ decision: z.literal('REJECT'), reason, by: z.string().max(300).optional() }),
]);
export type MeetingDecision = z.infer<typeof meetingDecision>;

const milestoneId = slug;
/** Events organizers record on an ACTIVE project (guarded by the project's state). */
export const projectEventBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('MILESTONE_REPORTED'), milestoneId, summary: text(4000) }),
  z.strictObject({ type: z.literal('MILESTONE_ACCEPTED'), milestoneId }),
  z.strictObject({ type: z.literal('MILESTONE_REPORT_RETURNED'), milestoneId, reason }),
  z.strictObject({
    type: z.literal('TRANCHE_DISBURSED'),
    milestoneId,
    amount: decimalMoney,
    reference: z.string().max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('FINANCING_RECORDED'),
    round: z
      .strictObject({
        roundSize: decimalMoney,
        preMoneyValuation: decimalMoney.optional(),
        pricePerShare: z
          .string()
          .regex(/^(0|[1-9]\d{0,11})(\.\d{1,6})?$/, 'must be a decimal with at most 6 decimals')
          .optional(),
        fullyDilutedShares: z.string().regex(/^[1-9]\d{0,15}$/, 'must be a whole number of shares'),
      })
      .refine((r) => (r.preMoneyValuation === undefined) !== (r.pricePerShare === undefined), {
        message: 'give either preMoneyValuation or pricePerShare',
        path: ['pricePerShare'],
      }),
    investor: text(200).optional(),
  }),
  z.strictObject({ type: z.literal('RESEARCH_COMPLETED'), reason }),
  z.strictObject({ type: z.literal('CLOSED_LENIENT'), reason }),
]);
