import { managerView } from '../../shared/funding/workspace.ts';
import { now } from '../runtime/clock.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { managedProject, reportMilestone } from '../services/project-workspace.ts';

/** The manager reports a milestone through the organizer's guarded transition; answers the project as they see it. */
export const handler = idempotentApi(projectManagerRoutes.reportMilestone, async ({ params, headers, body }) => {
  const at = now();
  const { project } = await managedProject(headers, params.projectId, at);
  const after = await reportMilestone(project, params.milestoneId, body.summary, at);
  return { body: { project: managerView(after) } };
});
