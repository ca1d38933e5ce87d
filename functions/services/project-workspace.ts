import { createHash } from 'node:crypto';
import { type EntryDocument, limitBytes, uploadIssues } from '../../shared/documents.ts';
import { AppError, validationError } from '../../shared/errors.ts';
import type { MilestoneReport } from '../../shared/funding/workspace.ts';
import { requireCompetition } from '../store/competitions.ts';
import { createDocumentOnce } from '../store/documents.ts';
import { documentView } from './document-access.ts';
import { documentObjectKey, uploadForm } from './document-storage.ts';
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

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The same report's k-th file always gets the same id: a retried report creates no second record. */
const reportDocumentId = (projectId: string, milestoneId: string, summary: string, k: number, name: string) => {
  const h = createHash('sha256').update(`${projectId}|${milestoneId}|${summary}|${k}|${name}`).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[h[i]! & 31];
  return out;
};

/**
 * A report with its files: the files are checked against the competition's document rules first
 * (422 naming `documents.<k>.<field>`, nothing written), the report goes through the transition, then
 * each file is recorded on the project's entry — tagged with the milestone, so reviewers and sponsors
 * never see it — and gets a presigned POST; the upload is scanned like any entry document. A retry
 * finds its records and answers forms only for files still awaiting their upload.
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
  const after = await reportMilestone(project, milestoneId, report.summary, at);
  const iso = at.toISOString();
  const uploads = await Promise.all(
    report.documents.map(async (d, k) => {
      const documentId = reportDocumentId(project.projectId, milestoneId, report.summary, k, d.fileName);
      const document: EntryDocument = {
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
      const stored = (await createDocumentOnce(document)) ?? document;
      if (stored.status !== 'AWAITING_UPLOAD') return { document: documentView(stored) };
      return {
        document: documentView(stored),
        upload: await uploadForm(stored, limitBytes(rules, stored.type), at.getTime()),
      };
    }),
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
