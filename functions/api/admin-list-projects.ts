import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { listProjects } from '../store/projects.ts';

/** Funded projects with their status and money figures (all, or one competition's). */
export const handler = api(awardRoutes.adminListProjects, async ({ query }) => {
  const projects = await listProjects(query.competitionId);
  return {
    body: {
      projects: projects.map((p) => ({
        projectId: p.projectId,
        competitionId: p.competitionId,
        entryId: p.entryId,
        title: p.title,
        manager: p.manager,
        status: p.status,
        requestedAmount: p.requestedAmount,
        approvedAmount: p.approvedAmount,
        disbursed: p.disbursed,
        currency: p.currency,
      })),
    },
  };
});
