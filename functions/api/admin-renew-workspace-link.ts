import { now } from '../runtime/clock.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { renewWorkspaceLink } from '../services/project-workspace.ts';

/** The organizer mails the project manager a new workspace link (the old one stops working). */
export const handler = idempotentApi(projectManagerRoutes.adminRenewWorkspaceLink, async ({ params, principal }) => ({
  status: 202,
  body: await renewWorkspaceLink(params.projectId, principal, now()),
}));
