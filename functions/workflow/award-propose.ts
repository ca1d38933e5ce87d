import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { loadCandidates, planOf } from '../services/award-data.ts';
import { slug } from '../../shared/ids.ts';
import { allocateAwards } from '../../shared/awards/allocation.ts';
import { requireCompetition } from '../store/competitions.ts';
import { createAwards, updateAwards } from '../store/awards.ts';

const input = z.object({ competitionId: slug });

/**
 * First step of the award workflow: the proposal from the final round and the
 * award plan. A replay keeps the stored proposal; after the organizer rejects
 * one, this step computes it again (the plan or the results may have changed).
 */
export const handler = task(input, async ({ competitionId }) => {
  const competition = await requireCompetition(competitionId);
  const { finalRoundId, candidates, entries } = await loadCandidates(competition);
  const plan = planOf(competition);
  const proposal = allocateAwards(candidates, plan);
  const criteria = Object.fromEntries(candidates.map((c) => [c.entryId, c.criteria]));
  const at = now().toISOString();
  const { item, created } = await createAwards({
    competitionId,
    finalRoundId,
    status: 'PROPOSED',
    proposalVersion: 1,
    proposal,
    plan,
    entries,
    criteria,
    confirmations: [],
    history: [
      {
        at,
        by: 'award-workflow',
        action: 'PROPOSED',
        detail: `${proposal.awards.length} awards from round ${finalRoundId}`,
      },
    ],
    version: 1,
  });
  let record = item;
  if (!created) {
    const r = await updateAwards(competitionId, (current) =>
      current.status === 'PROPOSED' && current.recomputeRequested
        ? {
            ...current,
            proposal,
            plan,
            entries,
            criteria,
            proposalVersion: current.proposalVersion + 1,
            recomputeRequested: false,
            history: [
              ...current.history,
              { at, by: 'award-workflow', action: 'RECOMPUTED', detail: `${proposal.awards.length} awards` },
            ],
          }
        : undefined,
    );
    record = r.after;
  }
  return {
    proposalVersion: record.proposalVersion,
    awards: record.proposal.awards.length,
    vacancies: record.proposal.vacancies.length,
  };
});
