import * as z from 'zod';
import { awardDecision, meetingDecision, projectEventBody } from '../../shared/awards/decision.ts';
import { slug } from '../../shared/ids.ts';
import { competitionParams, type RouteSpec } from './spec.ts';

const tokenParams = z.strictObject({ token: z.string().min(1).max(2048) });
const projectParams = z.strictObject({ projectId: z.string().regex(/^PRJ-[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a project id') });
const langQuery = z.strictObject({ lang: z.enum(['zh', 'en']).optional(), saved: z.enum(['confirmed', 'declined', 'accepted']).optional() });

/** Routes of the route table (functions/routes.ts) for awards, the hand-off and funded projects. */
export const awardRoutes = {
  adminStartAwards: {
    method: 'POST', path: '/admin/competitions/{competitionId}/awards/start', entry: 'functions/api/admin-start-awards.ts', auth: 'admin', okStatus: 202, table: 'read', starts: ['awards'], redrives: true,
    summary: 'Start the award workflow once the final round is tallied (idempotent: one execution per competition)',
    params: competitionParams,
  },
  adminGetAwards: {
    method: 'GET', path: '/admin/competitions/{competitionId}/awards', entry: 'functions/api/admin-get-awards.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'The award proposal, decisions with who/when/why, sponsor confirmations, publication, and the pending decision token',
    params: competitionParams,
  },
  adminAwardDecision: {
    method: 'POST', path: '/admin/competitions/{competitionId}/awards/decision', entry: 'functions/api/admin-award-decision.ts', auth: 'admin', okStatus: 202, table: 'read', resumes: ['awards'],
    summary: 'Approve, amend (move/add/remove with a reason) or reject the proposal; checked against the stored proposal, then sent to the waiting workflow',
    params: competitionParams,
    body: awardDecision,
  },
  getResults: {
    method: 'GET', path: '/competitions/{competitionId}/results', entry: 'functions/api/get-results.ts', auth: 'public', okStatus: 200, table: 'read',
    summary: 'The published awards (public once published)',
    params: competitionParams,
  },
  adminResultsCsv: {
    method: 'GET', path: '/admin/competitions/{competitionId}/results.csv', entry: 'functions/api/admin-results-csv.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'The full final ranking with per-criterion scores and awards, as CSV (UTF-8 with BOM, for spreadsheets)',
    params: competitionParams,
  },
  getSponsorConfirmation: {
    method: 'GET', path: '/sponsor-confirmations/{token}', entry: 'functions/api/sponsor-confirmation-page.ts', auth: 'link', okStatus: 200, table: 'read', signsLinks: true,
    summary: 'The sponsor’s confirmation page for its challenge track’s winners (HTML; changes nothing)',
    params: tokenParams,
    query: langQuery,
  },
  postSponsorConfirmation: {
    method: 'POST', path: '/sponsor-confirmations/{token}', entry: 'functions/api/sponsor-confirmation-submit.ts', auth: 'link', okStatus: 200, table: 'readWrite', signsLinks: true, resumes: ['awards'],
    summary: 'The sponsor confirms or declines (with a reason) — a form post answered with a redirect',
    params: tokenParams,
    body: z.strictObject({ action: z.enum(['confirm', 'decline']), reason: z.string().max(1000).optional(), lang: z.enum(['zh', 'en']).optional() }),
    bodyFormat: 'form',
  },
  getAppointment: {
    method: 'GET', path: '/appointments/{token}', entry: 'functions/api/appointment-page.ts', auth: 'link', okStatus: 200, table: 'read', signsLinks: true,
    summary: 'The project-manager appointment (项目经理聘任): project, term, responsibilities, grant (HTML; changes nothing)',
    params: tokenParams,
    query: langQuery,
  },
  postAppointment: {
    method: 'POST', path: '/appointments/{token}', entry: 'functions/api/appointment-submit.ts', auth: 'link', okStatus: 200, table: 'readWrite', signsLinks: true, resumes: ['handoff'],
    summary: 'The appointee accepts or declines — a form post answered with a redirect',
    params: tokenParams,
    body: z.strictObject({ action: z.enum(['accept', 'decline']), reason: z.string().max(1000).optional(), lang: z.enum(['zh', 'en']).optional() }),
    bodyFormat: 'form',
  },
  adminListProjects: {
    method: 'GET', path: '/admin/projects', entry: 'functions/api/admin-list-projects.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Funded projects, all or one competition’s',
    query: z.strictObject({ competitionId: slug.optional() }),
  },
  adminGetProject: {
    method: 'GET', path: '/admin/projects/{projectId}', entry: 'functions/api/admin-get-project.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'One funded project with its milestones, payments, financing, conversion, log, the events it accepts now and any pending meeting token',
    params: projectParams,
  },
  adminMeetingDecision: {
    method: 'POST', path: '/admin/projects/{projectId}/meeting', entry: 'functions/api/admin-meeting-decision.ts', auth: 'admin', okStatus: 202, table: 'read', resumes: ['handoff'],
    summary: 'Record the special review meeting’s decision (专题会审议): approve with an amount and minutes, or reject with a reason',
    params: projectParams,
    body: meetingDecision,
  },
  adminProjectEvent: {
    method: 'POST', path: '/admin/projects/{projectId}/events', entry: 'functions/api/admin-project-event.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Record a lifecycle event (milestone report/acceptance, tranche payment, financing round → equity conversion, research completed, lenient close-out); 409 lists the events allowed now',
    params: projectParams,
    body: projectEventBody,
  },
  adminPortfolio: {
    method: 'GET', path: '/admin/portfolio', entry: 'functions/api/admin-portfolio.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Portfolio figures: projects supported, research completed, converted to equity, grant converted, social capital attracted, closed leniently',
    query: z.strictObject({ competitionId: slug.optional() }),
  },
} as const satisfies Record<string, RouteSpec>;

