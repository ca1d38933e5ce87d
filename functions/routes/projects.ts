import * as z from 'zod';
import { slug } from '../../shared/ids.ts';
import { milestoneReportBody, workspaceFormBody } from '../../shared/funding/workspace.ts';
import { projectId, projectParams, type RouteSpec } from './spec.ts';

const tokenParams = z.strictObject({ token: z.string().min(1).max(2048) });

/**
 * The project manager's workspace (项目经理工作台): a page behind the signed link the appointment page
 * gives once the appointment is accepted, and the same as an API with that link's token as the bearer.
 */
export const projectManagerRoutes = {
  adminRenewWorkspaceLink: {
    method: 'POST',
    path: '/admin/projects/{projectId}/workspace-link',
    entry: 'functions/api/admin-renew-workspace-link.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 202,
    table: 'readWrite',
    partitions: ['competition', 'project', 'entry', 'outbox', 'audit'],
    summary:
      'Mail the project manager a new workspace link (a lost or leaked one): the old link and its bearer token answer 410 from then on; honours Idempotency-Key',
    params: projectParams,
  },
  getProjectWorkspace: {
    method: 'GET',
    path: '/project-manager/{token}',
    entry: 'functions/api/project-workspace-page.ts',
    auth: 'link',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'project', 'entry'],
    signsLinks: true,
    summary:
      'The project manager’s workspace (HTML; changes nothing): milestones with tranches and status, the organizer’s acceptance or return with its reason, disbursements, financing and the conversion with its arithmetic, and a report form for each milestone due',
    params: tokenParams,
    query: z.strictObject({ lang: z.enum(['zh', 'en']).optional(), saved: z.enum(['1']).optional() }),
  },
  postProjectWorkspace: {
    method: 'POST',
    path: '/project-manager/{token}',
    entry: 'functions/api/project-workspace-submit.ts',
    auth: 'link',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'project', 'entry', 'audit'],
    signsLinks: true,
    summary:
      'Submit a milestone report from the workspace — the organizer’s guarded transition, on the project’s log; a form post answered with a redirect (the same report sent twice is one)',
    params: tokenParams,
    body: workspaceFormBody,
    bodyFormat: 'form',
  },
  getManagedProject: {
    method: 'GET',
    path: '/projects/{projectId}',
    entry: 'functions/api/get-managed-project.ts',
    auth: 'manager',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'project', 'entry'],
    signsLinks: true,
    summary:
      'The project as its manager sees it (bearer: the workspace token): milestones, returns with reasons, disbursements, financing, conversion with arithmetic, the log',
    params: projectParams,
  },
  reportMilestone: {
    method: 'POST',
    path: '/projects/{projectId}/milestones/{milestoneId}/report',
    entry: 'functions/api/report-milestone.ts',
    idempotent: true,
    auth: 'manager',
    documents: 'upload',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'project', 'entry', 'audit'],
    signsLinks: true,
    summary:
      'The project manager reports a milestone (bearer: the workspace token), optionally with files (each answered with an upload form; scanned like entry documents): allowed while it is due, 409 with the allowed events otherwise; honours Idempotency-Key',
    params: z.strictObject({ projectId, milestoneId: slug }),
    body: milestoneReportBody,
  },
} as const satisfies Record<string, RouteSpec>;
