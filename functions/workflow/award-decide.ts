import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { planOf } from '../services/award-data.ts';
import { slug } from '../../shared/ids.ts';
import { AmendmentError, applyAmendment } from '../../shared/awards/allocation.ts';
import { awardDecision } from '../../shared/awards/decision.ts';
import { zodIssues } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { updateAwards, type AwardRecord } from '../store/awards.ts';

const input = z.object({ competitionId: slug, decision: z.unknown() });

/**
 * Applies the organizer's decision, once per decision token: APPROVE → ask the
 * sponsors and publish; AMEND → change the proposal (each amendment with its
 * reason) and wait for the next decision; REJECT → compute the proposal again.
 * A malformed decision (possible from the CLI) is recorded and the workflow
 * waits again instead of failing.
 */
export const handler = task(input, async ({ competitionId, decision }) => {
  const competition = await requireCompetition(competitionId);
  const plan = planOf(competition);
  const at = now().toISOString();
  let next: NonNullable<AwardRecord['lastDecisionNext']> = 'WAIT';
  const { after } = await updateAwards(competitionId, (current) => {
    if (current.appliedDecisionToken && current.appliedDecisionToken === current.decisionTaskToken) {
      next = current.lastDecisionNext ?? 'WAIT';
      return undefined; // a replay: already applied
    }
    const base = { ...current, appliedDecisionToken: current.decisionTaskToken };
    const parsed = awardDecision.safeParse(decision);
    if (!parsed.success) {
      next = 'WAIT';
      return {
        ...base,
        lastDecisionNext: next,
        history: [
          ...current.history,
          {
            at,
            by: 'unknown',
            action: 'INVALID_DECISION',
            detail: JSON.stringify(zodIssues(parsed.error)).slice(0, 2000),
          },
        ],
      };
    }
    const d = parsed.data;
    const by = d.by ?? 'aws-cli';
    if (d.action === 'APPROVE') {
      next = 'CONFIRM';
      return {
        ...base,
        lastDecisionNext: next,
        history: [
          ...current.history,
          {
            at,
            by,
            action: 'APPROVED',
            ...(d.reason ? { reason: d.reason } : {}),
            detail: `proposal v${current.proposalVersion}`,
          },
        ],
      };
    }
    if (d.action === 'REJECT') {
      next = 'RECOMPUTE';
      return {
        ...base,
        recomputeRequested: true,
        lastDecisionNext: next,
        history: [...current.history, { at, by, action: 'REJECTED', reason: d.reason }],
      };
    }
    next = 'WAIT';
    try {
      const proposal = d.amendments.reduce((p, a) => applyAmendment(p, plan, a), current.proposal);
      return {
        ...base,
        proposal,
        lastDecisionNext: next,
        history: [
          ...current.history,
          ...d.amendments.map((a) => ({ at, by, action: `AMENDED_${a.op}`, reason: a.reason, amendment: a })),
        ],
      };
    } catch (e) {
      if (!(e instanceof AmendmentError)) throw e;
      return {
        ...base,
        lastDecisionNext: next,
        history: [...current.history, { at, by, action: 'INVALID_DECISION', detail: `${e.code}: ${e.message}` }],
      };
    }
  });
  return { next, status: after.status, proposalVersion: after.proposalVersion, awards: after.proposal.awards.length };
});
