import { managerView } from '../../shared/funding/workspace.ts';
import { now } from '../runtime/clock.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { managedProject, reportMilestoneWithDocuments } from '../services/project-workspace.ts';
import { listDocuments } from '../store/documents.ts';

/** The manager reports a milestone through the organizer's guarded transition; answers the project as they see it. */
export const handler = idempotentApi(projectManagerRoutes.reportMilestone, async ({ params, headers, body }) => {
  const at = now();
  const { project } = await managedProject(headers, params.projectId, at);
  const { project: after, uploads } = await reportMilestoneWithDocuments(project, params.milestoneId, body, at);
  return { body: { project: managerView(after, await listDocuments(after.entryId)), uploads } };
});
