import { buildProblem, type AssignmentInstance } from './instance.ts';
import { solveAssignment, type AssignmentProblem } from './solve.ts';

/**
 * Panel mode (semi-finals, finals): one panel of `size` experts per track, each
 * member scoring every entry of the track except those they are conflicted
 * with (回避). Choosing the panels is itself an exact b-matching: tracks demand
 * `size` members, an expert sits on at most one panel, and a member's affinity
 * to a track is the mean over the entries it can review. An expert whose cap
 * is below the track's load cannot sit on that panel.
 */
export interface PanelResult {
  panels: Array<{ trackId: string; members: string[]; missing: number }>;
  /** Every (entry, expert) review the panels imply. */
  pairs: Array<{ entryId: string; expertEmail: string }>;
  /** Entries some panel member is recused from, with who. */
  recusals: Array<{ entryId: string; expertEmail: string }>;
}

export const solvePanels = (instance: AssignmentInstance, trackOf: Map<string, string>, size: number): PanelResult => {
  const { problem } = buildProblem(instance);
  const m = instance.reviewers.length;
  const tracks = [...new Set(instance.entries.map((e) => trackOf.get(e.id)!))].sort();
  const membersOf = tracks.map((t) => instance.entries.flatMap((e, i) => (trackOf.get(e.id) === t ? [i] : [])));
  const T = tracks.length;
  const affinity = new Float64Array(T * m);
  const conflict = new Uint8Array(T * m);
  membersOf.forEach((rows, t) => {
    for (let j = 0; j < m; j++) {
      const free = rows.filter((i) => !problem.conflict[i * m + j]);
      const x = t * m + j;
      if (!free.length || instance.reviewers[j]!.cap < free.length) conflict[x] = 1;
      else affinity[x] = free.reduce((s, i) => s + problem.affinity[i * m + j]!, 0) / free.length;
    }
  });
  const panelProblem: AssignmentProblem = {
    entries: T,
    reviewers: m,
    demand: new Int32Array(T).fill(size),
    capacity: Int32Array.from(instance.reviewers, (r) => (r.cap > 0 ? 1 : 0)),
    affinity,
    conflict,
    weakThreshold: problem.weakThreshold,
    // Most seats filled, then the highest affinity; every member reviews the whole track anyway.
    fairness: false,
  };
  const solution = solveAssignment(panelProblem);
  const pairs: PanelResult['pairs'] = [];
  const recusals: PanelResult['recusals'] = [];
  const panels = tracks.map((trackId, t) => {
    const members = solution.reviewersOf[t]!.map((j) => instance.reviewers[j]!.id);
    for (const i of membersOf[t]!) {
      for (const j of solution.reviewersOf[t]!) {
        const pair = { entryId: instance.entries[i]!.id, expertEmail: instance.reviewers[j]!.id };
        (problem.conflict[i * m + j] ? recusals : pairs).push(pair);
      }
    }
    return { trackId, members, missing: size - members.length };
  });
  return { panels, pairs, recusals };
};
