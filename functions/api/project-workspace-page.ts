import { managerView, renderWorkspacePage } from '../../shared/funding/workspace.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { linkFailurePage, openLink, projectManagerLinks } from '../services/signed-links.ts';
import { listDocuments } from '../store/documents.ts';

/** GET shows the manager's project and changes nothing. */
export const handler = api(projectManagerRoutes.getProjectWorkspace, async ({ params, query, event }) => {
  const link = await openLink(projectManagerLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  return {
    html: renderWorkspacePage({
      lang: link.lang,
      action: event.rawPath,
      competitionTitle: link.competition.title,
      view: managerView(link.project, await listDocuments(link.project.entryId)),
      saved: query.saved === '1',
    }),
  };
});
