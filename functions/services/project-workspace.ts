import { hashedId } from '../../shared/ids.ts';
import { assertDocumentHistoryRoom, type EntryDocument, limitBytes, uploadIssues } from '../../shared/documents.ts';
import { AppError, conflict, isAppError, notFound, validationError } from '../../shared/errors.ts';
import { type MilestoneReport, workspaceLinkOf } from '../../shared/funding/workspace.ts';
import { requireCompetition } from '../store/competitions.ts';
import { createDocumentOnce, getDocument, listDocuments } from '../store/documents.ts';
import { documentView } from './document-access.ts';
import { documentObjectKey, uploadForm } from './document-storage.ts';
import { allowedEvents, applyProjectEvent, TransitionError } from '../../shared/funding/project.ts';
import { bearerToken, type ApiRequest } from '../runtime/http.ts';
import type { RouteSpec } from '../routes/spec.ts';
import { type ProjectRecord, updateProject } from '../store/projects.ts';
import { openLink, projectManagerLinks } from './signed-links.ts';
import { queueWorkspaceLink } from './notifications.ts';
import { logger } from '../runtime/logger.ts';
import { getEntryRecord } from '../store/entries.ts';

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
 * The k-th file of a milestone's n-th report always gets the same id: a retried report creates no second
 * record, and a report sent again after the organizer returned it gets new ones.
 */
const reportDocumentId = (projectId: string, milestoneId: string, attempt: number, k: number, name: string) =>
  hashedId(projectId, milestoneId, attempt, k, name);

/**
 * A report with its files. The files are checked against the competition's document rules (422 naming
 * `documents.<k>.<field>`, nothing written) and against the entry's record limit; a report the project
 * does not take now is refused before anything is written (409). Each file is recorded on the project's
 * entry — tagged with the milestone, so reviewers and sponsors never see it — before the report goes
 * through the transition, so a crash in between loses nothing (an unused record expires like any upload
 * request). A retry of a report already made names the same records and answers forms only for files
 * still awaiting their upload; it cannot add files (409).
 */
export const reportMilestoneWithDocuments = async (
  project: ProjectRecord,
  milestoneId: string,
  report: MilestoneReport,
  at: Date,
) => {
  const rules = (await requireCompetition(project.competitionId)).documents;
  const issues = report.documents.flatMap((d, k) =>
    uploadIssues({ ...d, blind: false }, rules).map((i) => ({ ...i, path: `documents.${k}.${i.path}` })),
  );
  if (issues.length) throw validationError('A document cannot be uploaded', issues);
  // The project as the token opened it a moment ago; the transition re-reads it under its version.
  const by = `manager:${project.manager.email}`;
  const m = project.milestones.find((x) => x.milestoneId === milestoneId);
  const resent = m?.status === 'REPORTED' && m.report?.summary === report.summary && m.report.by === by;
  // Not due now: the transition refuses it with the events it allows, before any file is recorded.
  if (!resent && !allowedEvents(project).includes(`MILESTONE_REPORTED:${milestoneId}`))
    await reportMilestone(project, milestoneId, report.summary, at);
  const attempt =
    project.log.filter((l) => l.event === 'MILESTONE_REPORTED' && l.detail === milestoneId).length + (resent ? 0 : 1);
  const iso = at.toISOString();
  const documents = report.documents.map((d, k): EntryDocument => {
    const documentId = reportDocumentId(project.projectId, milestoneId, attempt, k, d.fileName);
    return {
      documentId,
      entryId: project.entryId,
      competitionId: project.competitionId,
      ...d,
      blind: false,
      milestoneId,
      status: 'AWAITING_UPLOAD',
      key: documentObjectKey(project.entryId, documentId),
      createdAt: iso,
      updatedAt: iso,
      version: 1,
    };
  });
  let stored: EntryDocument[];
  if (resent) {
    const found = await Promise.all(documents.map((d) => getDocument(d.entryId, d.documentId)));
    if (found.some((d) => !d))
      throw conflict('REPORT_ALREADY_SENT', 'This report was sent already; its files change only once it is returned');
    stored = found as EntryDocument[];
  } else {
    if (documents.length)
      assertDocumentHistoryRoom((await listDocuments(project.entryId)).length + documents.length - 1);
    stored = await Promise.all(documents.map(async (d) => (await createDocumentOnce(d)) ?? d));
  }
  const after = await reportMilestone(project, milestoneId, report.summary, at);
  const uploads = await Promise.all(
    stored.map(async (d) =>
      d.status === 'AWAITING_UPLOAD'
        ? { document: documentView(d), upload: await uploadForm(d, limitBytes(rules, d.type), at.getTime()) }
        : { document: documentView(d) },
    ),
  );
  return { project: after, uploads };
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

/**
 * The organizer renews a manager's workspace link (lost, or leaked): a new link version — the old link
 * and bearer token answer 410 from now on — mailed to the manager at once. 404 for an unknown project;
 * 409 when no manager accepted the appointment.
 */
export const renewWorkspaceLink = async (projectId: string, principal: string, at: Date) => {
  const { after } = await updateProject(projectId, (p) => {
    if (!p.appointment.answer?.accepted)
      throw conflict('NO_MANAGER', 'No project manager accepted the appointment: there is no workspace link');
    return { ...p, workspaceLinkVersion: workspaceLinkOf(p).version + 1 };
  }).catch((e: unknown) => {
    if (isAppError(e) && e.status === 404) throw notFound('Project');
    throw e;
  });
  const { version } = workspaceLinkOf(after);
  await queueWorkspaceLink(after, (await getEntryRecord(after.entryId))?.language ?? 'zh', at);
  logger.info('workspace link renewed', { projectId, version, by: principal });
  return { projectId, linkVersion: version, sentTo: after.manager.email };
};
