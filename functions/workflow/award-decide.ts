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
  const configured = planOf(competition);
  const at = now().toISOString();
  let next: NonNullable<AwardRecord['lastDecisionNext']> = 'WAIT';
  const { after } = await updateAwards(competitionId, (current) => {
    if (current.appliedDecisionToken && current.appliedDecisionToken === current.decisionTaskToken) {
      next = current.lastDecisionNext ?? 'WAIT';
      return undefined; // a replay: already applied
    }
    // Every outcome marks the token applied, records what follows and appends to the history.
    const decided = (then: typeof next, entries: AwardRecord['history'], change: Partial<AwardRecord> = {}) => {
      next = then;
      const history = [...current.history, ...entries];
      return {
        ...current,
        ...change,
        appliedDecisionToken: current.decisionTaskToken,
        lastDecisionNext: then,
        history,
      };
    };
    const parsed = awardDecision.safeParse(decision);
    if (!parsed.success) {
      const detail = JSON.stringify(zodIssues(parsed.error)).slice(0, 2000);
      return decided('WAIT', [{ at, by: 'unknown', action: 'INVALID_DECISION', detail }]);
    }
    const d = parsed.data;
    const by = d.by ?? 'aws-cli';
    if (d.action === 'APPROVE') {
      const reason = d.reason ? { reason: d.reason } : {};
      return decided('CONFIRM', [
        { at, by, action: 'APPROVED', ...reason, detail: `proposal v${current.proposalVersion}` },
      ]);
    }
    if (d.action === 'REJECT') {
      return decided('RECOMPUTE', [{ at, by, action: 'REJECTED', reason: d.reason }], { recomputeRequested: true });
    }
    try {
      // Amended under the plan the proposal was allocated with (what a replay uses), not a later edit of it.
      const plan = current.plan ?? configured;
      const proposal = d.amendments.reduce((p, a) => applyAmendment(p, plan, a), current.proposal);
      const amended = d.amendments.map((a) => ({ at, by, action: `AMENDED_${a.op}`, reason: a.reason, amendment: a }));
      return decided('WAIT', amended, { proposal });
    } catch (e) {
      if (!(e instanceof AmendmentError)) throw e;
      return decided('WAIT', [{ at, by, action: 'INVALID_DECISION', detail: `${e.code}: ${e.message}` }]);
    }
  });
  return { next, status: after.status, proposalVersion: after.proposalVersion, awards: after.proposal.awards.length };
});
