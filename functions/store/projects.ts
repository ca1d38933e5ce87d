import type { Project } from '../../shared/funding/project.ts';
import { GSI1, PROJECT_LIST, projectKey, stripKeys } from './keys.ts';
import { queryIndexAll, queryPage } from './query.ts';
import type { TokenSlot, WaitSlot } from './task-tokens.ts';
import { type Audit, createOnce, getVersioned, type LineLog, updateVersioned } from './versioned.ts';

/** A funded project with the hand-off's bookkeeping (callback tokens, the appointee's answer). */
export interface ProjectRecord extends Project {
  appointment: {
    linkVersion: number;
    expiresAt: string;
    termMonths: number;
    responsibilities: { zh: string; en?: string };
    answer?: { accepted: boolean; at: string; reason?: string };
  };
  /** The project manager's workspace links carry this version (1 until one is renewed). */
  workspaceLinkVersion?: number;
  appointmentTaskToken?: string;
  appointmentCallbackSentFor?: string;
  meetingTaskToken?: string;
  appliedMeetingToken?: string;
}

const index = (p: { competitionId: string; projectId: string }) => ({
  gsi1pk: PROJECT_LIST,
  gsi1sk: `${p.competitionId}#${p.projectId}`,
});

/** One project per awarded entry: the id is derived from the entry, so a replayed hand-off finds it. */
export const projectIdOf = (entryId: string) => `PRJ-${entryId}`;
/** The log's lines are items of their own in the project's partition (`LOG#<n>`). */
const projectLog = (projectId: string): LineLog => ({
  attribute: 'log',
  pk: projectKey(projectId).pk,
  skPrefix: 'LOG#',
});

export const getProject = (projectId: string) =>
  getVersioned<ProjectRecord>(projectKey(projectId), projectLog(projectId));
/**
 * Every change that adds to a project's log — creation, the appointment's
 * outcome, the meeting's decision, milestones, payments, financing and
 * conversion, close-out — goes on the competition's audit record with the
 * money figures it left.
 */
const auditProject: Audit<ProjectRecord> = (before, after) => {
  const added = after.log.slice(before?.log.length ?? 0);
  const last = added.at(-1);
  if (!last) return undefined;
  return {
    competitionId: after.competitionId,
    type: `PROJECT_${last.event}`,
    subject: after.projectId,
    by: last.by,
    at: last.at,
    data: {
      status: after.status,
      log: added,
      approvedAmount: after.approvedAmount ?? null,
      disbursed: after.disbursed,
      ...(after.conversion
        ? { conversion: { shares: after.conversion.shares, price: after.conversion.conversionPrice } }
        : {}),
    },
  };
};

export const createProject = (p: ProjectRecord) =>
  createOnce(projectKey(p.projectId), p, index(p), auditProject, projectLog(p.projectId));
export const updateProject = (projectId: string, change: (current: ProjectRecord) => ProjectRecord | undefined) =>
  updateVersioned<ProjectRecord>(projectKey(projectId), change, index, auditProject, projectLog(projectId));

/** A project in a list: everything but its log (`logCount` lines; `getProject` reads them). */
export type ProjectSummary = Omit<ProjectRecord, 'log'> & { logCount: number };

/** Every project, or a competition's (GSI1, never a Scan). */
/** One page of the funded projects (all, or one competition's), in competition and project-id order. */
export const listProjectsPage = async (competitionId: string | undefined, limit: number, cursor?: string) => {
  const list = { index: GSI1, partition: PROJECT_LIST, ...(competitionId ? { sortPrefix: `${competitionId}#` } : {}) };
  const page = await queryPage(list, limit, cursor);
  return { items: page.items.map((i) => stripKeys(i) as unknown as ProjectSummary), cursor: page.cursor };
};

export const listProjects = async (competitionId?: string): Promise<ProjectSummary[]> =>
  (await queryIndexAll(PROJECT_LIST, competitionId && `${competitionId}#`)).map(
    (i) => stripKeys(i) as unknown as ProjectSummary,
  );

/** The appointee's answer (through the signed link): resumed once it is recorded. */
export const appointmentWait = (projectId: string): WaitSlot => ({
  key: projectKey(projectId),
  tokenAttribute: 'appointmentTaskToken',
  sentAttribute: 'appointmentCallbackSentFor',
  versioned: true,
  ready: (item) => (item as unknown as ProjectRecord).appointment.answer !== undefined,
  output: (item) => {
    const answer = (item as unknown as ProjectRecord).appointment.answer!;
    return { accepted: answer.accepted, reason: answer.reason };
  },
});

/** The special review meeting's decision: sent by the admin route (or the CLI), applied once per token. */
export const meetingWait = (projectId: string): TokenSlot => ({
  key: projectKey(projectId),
  tokenAttribute: 'meetingTaskToken',
  versioned: true,
});
