import { type FieldIssue, isAppError } from '../../shared/errors.ts';
import { managerView, renderWorkspacePage, reportIssues } from '../../shared/funding/workspace.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { reportMilestone } from '../services/project-workspace.ts';
import { listDocuments } from '../store/documents.ts';
import { linkFailurePage, openLink, projectManagerLinks, requestedLanguage } from '../services/signed-links.ts';

/**
 * POST submits a milestone report and answers 303 to the page (post/redirect/get); a report the
 * rules refuse re-renders the page with the reason and the text typed, and changes nothing.
 */
export const handler = api(projectManagerRoutes.postProjectWorkspace, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(projectManagerLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const page = async (status: number, errors: FieldIssue[]) => ({
    status,
    html: renderWorkspacePage({
      lang: link.lang,
      action: event.rawPath,
      competitionTitle: link.competition.title,
      view: managerView(link.project, await listDocuments(link.project.entryId)),
      errors,
      draft: { milestoneId: body.milestoneId, summary: body.summary ?? '' },
    }),
  });
  const issues = reportIssues(body.summary);
  if (issues.length) return page(422, issues);
  try {
    await reportMilestone(link.project, body.milestoneId, body.summary!.trim(), at);
  } catch (e) {
    if (isAppError(e) && e.status === 409)
      return page(409, [{ path: 'milestoneId', message: e.message, code: e.code }]);
    throw e;
  }
  return { status: 303, html: '', headers: { location: `${event.rawPath}?saved=1&lang=${link.lang}` } };
});
