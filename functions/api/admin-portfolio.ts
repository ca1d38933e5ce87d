import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { portfolioStats } from '../../shared/funding/project.ts';
import { listProjects } from '../store/projects.ts';

/** The portfolio figures the center publishes, over all projects or one competition's. */
export const handler = api(awardRoutes.adminPortfolio, async ({ query }) => ({
  body: {
    ...(query.competitionId ? { competitionId: query.competitionId } : {}),
    portfolio: portfolioStats(await listProjects(query.competitionId)),
  },
}));
