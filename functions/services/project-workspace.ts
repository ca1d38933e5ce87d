import { AppError } from '../../shared/errors.ts';
import { applyProjectEvent, TransitionError } from '../../shared/funding/project.ts';
import { bearerToken, type ApiRequest } from '../runtime/http.ts';
import type { RouteSpec } from '../routes/spec.ts';
import { type ProjectRecord, updateProject } from '../store/projects.ts';
import { openLink, projectManagerLinks } from './signed-links.ts';

/**
 * The project manager's side of a funded project. A report goes through the very transition the
 * organizer's event route applies (`applyProjectEvent`, under the project's version, onto its log and
 * the competition's audit record), signed `manager:<e-mail>`. The same report sent again — a retried
 * form or request — finds it made and writes nothing.
 */
export const reportMilestone = async (
  project: ProjectRecord,
  milestoneId: string,
  summary: string,
  at: Date,
): Promise<ProjectRecord> => {
  const by = `manager:${project.manager.email}`;
  try {
    const { after } = await updateProject(project.projectId, (p) => {
      const m = p.milestones.find((x) => x.milestoneId === milestoneId);
      if (m?.status === 'REPORTED' && m.report?.summary === summary && m.report.by === by) return undefined;
      const event = { type: 'MILESTONE_REPORTED' as const, milestoneId, summary };
      return applyProjectEvent(p, event, by, at.toISOString()) as ProjectRecord;
    });
    return after;
  } catch (e) {
    if (e instanceof TransitionError) throw new AppError(409, e.code, e.message, { allowed: e.allowed });
    throw e;
  }
};

/**
 * The project a manager's bearer token grants — the workspace link's token, sent as
 * `Authorization: Bearer …` — if it is the one the path names. A token that names another project
 * gives the same 404 as an unknown one; an expired or renewed token, 410.
 */
export const managedProject = async (headers: ApiRequest<RouteSpec>['headers'], projectId: string, at: Date) => {
  const opened = await openLink(projectManagerLinks, bearerToken(headers), at);
  if (!opened.ok) {
    if (opened.code === 'INVALID_LINK') throw new AppError(404, 'NOT_FOUND', 'Project not found');
    throw new AppError(410, opened.code, 'This project manager token has expired or was replaced');
  }
  if (opened.project.projectId !== projectId) throw new AppError(404, 'NOT_FOUND', 'Project not found');
  return opened;
};
