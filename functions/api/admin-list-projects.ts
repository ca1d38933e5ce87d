import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { listProjectsPage } from '../store/projects.ts';

/** Funded projects with their status and money figures (all, or one competition's), a page at a time. */
export const handler = api(awardRoutes.adminListProjects, async ({ query }) => {
  const page = await listProjectsPage(query.competitionId, query.limit, query.cursor);
  return {
    body: {
      nextCursor: page.cursor ?? null,
      items: page.items.map((p) => ({
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
