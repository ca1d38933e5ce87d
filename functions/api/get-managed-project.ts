import { managerView } from '../../shared/funding/workspace.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { projectManagerRoutes } from '../routes/projects.ts';
import { managedProject } from '../services/project-workspace.ts';
import { listDocuments } from '../store/documents.ts';

/** The project as its manager sees it, for the bearer of the workspace token. */
export const handler = api(projectManagerRoutes.getManagedProject, async ({ params, headers }) => {
  const { project } = await managedProject(headers, params.projectId, now());
  return { body: { project: managerView(project, await listDocuments(project.entryId)) } };
});
