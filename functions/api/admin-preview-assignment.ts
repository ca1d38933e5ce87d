import { assertPreviewFitsRequest } from '../../shared/assignment/instance.ts';
import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { previewAssignment } from '../services/assignment-preview.ts';
import { requireCompetition } from '../store/competitions.ts';

/** The dry run, answered in the request for rounds that fit one; larger rounds are previewed as an export. */
export const handler = api(roundRoutes.adminPreviewAssignment, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  return { body: await previewAssignment(competition, params.roundId, assertPreviewFitsRequest) };
});
