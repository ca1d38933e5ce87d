import * as z from 'zod';
import type { FieldIssue } from '../errors.ts';
import { layout, type Lang } from '../review/page.ts';
import { escapeHtml as h, inLanguage, text } from '../text.ts';
import { createDocumentBody, type DocumentStatus, type EntryDocument } from '../documents.ts';
import { Rational, showMoney } from './decimal.ts';
import { allowedEvents, type MilestoneStatus, type Project } from './project.ts';

/**
 * The project manager's workspace (项目经理工作台), pure: what the manager of a funded project sees —
 * milestones with their tranches and where each stands, the organizer's acceptance or return (with the
 * reason), the disbursements, financing rounds and, once the grant converted, the conversion with its
 * arithmetic — and the one thing the manager does: report a milestone. The same view feeds the
 * manager's page and the bearer API.
 */
/**
 * The manager's workspace link as it stands: its version (1 until the organizer renews it) and when it
 * stops working — the end of the appointment's term, counted from its acceptance.
 */
export const workspaceLinkOf = (p: {
  workspaceLinkVersion?: number;
  appointment: { expiresAt: string; termMonths: number; answer?: { at: string } };
}) => {
  const expiresAt = new Date(p.appointment.answer?.at ?? p.appointment.expiresAt);
  expiresAt.setUTCMonth(expiresAt.getUTCMonth() + p.appointment.termMonths);
  return { version: p.workspaceLinkVersion ?? 1, expiresAt };
};

export const milestoneReportBody = z.strictObject({
  summary: text(4000),
  /** Files for the report: each gets an upload form (presigned POST) and the malware scan, like an entry's. */
  documents: z
    .array(createDocumentBody.omit({ blind: true }))
    .max(10)
    .default([]),
});
export type MilestoneReport = z.infer<typeof milestoneReportBody>;

/** A report document as the manager sees it. */
export interface ReportDocument {
  documentId: string;
  type: string;
  fileName: string;
  size: number;
  status: DocumentStatus;
  reason?: string;
}

/** The page's report form: which milestone, and the report (the API takes the milestone from its path). */
export const workspaceFormBody = z.strictObject({
  action: z.literal('report'),
  milestoneId: z.string().max(64),
  summary: z.string().max(4000).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});

/** The page's report checked by the API's rule (1–4000 characters, trimmed, no control characters). */
export const reportIssues = (summary: string | undefined): FieldIssue[] => {
  const checked = milestoneReportBody.safeParse({ summary: summary ?? '' });
  return checked.success
    ? []
    : checked.error.issues.map((i) => ({ path: 'summary', message: i.message, code: i.code }));
};

export interface ManagerMilestone {
  milestoneId: string;
  title: string;
  trancheAmount: string;
  status: MilestoneStatus;
  report?: { summary: string; at: string };
  acceptedAt?: string;
  /** The organizer's last return of a report, while the milestone waits for a new one. */
  returned?: { at: string; reason: string };
  paid?: { amount: string; at: string; reference?: string };
  /** The documents sent with its reports (each with its scan status). */
  documents: ReportDocument[];
  /** The manager may report it now. */
  reportable: boolean;
}

/**
 * What a project's manager sees of it (the hand-off's bookkeeping — callback tokens — never), with the
 * documents of its milestone reports (the entry's documents that carry a milestone id).
 */
export const managerView = (p: Project, documents: EntryDocument[] = []) => {
  const documentsOf = (milestoneId: string): ReportDocument[] =>
    documents
      .filter((d) => d.milestoneId === milestoneId && d.status !== 'DELETED')
      .map((d) => ({
        documentId: d.documentId,
        type: d.type,
        fileName: d.fileName,
        size: d.actualSize ?? d.size,
        status: d.status,
        ...(d.reason ? { reason: d.reason } : {}),
      }));
  const reportable = new Set(
    allowedEvents(p)
      .filter((e) => e.startsWith('MILESTONE_REPORTED:'))
      .map((e) => e.slice('MILESTONE_REPORTED:'.length)),
  );
  const lastReturn = (milestoneId: string) => {
    const line = p.log.findLast(
      (l) => l.event === 'MILESTONE_REPORT_RETURNED' && l.detail?.startsWith(`${milestoneId}: `),
    );
    return line && { at: line.at, reason: line.detail!.slice(milestoneId.length + 2) };
  };
  const budget = p.approvedAmount ?? p.requestedAmount;
  return {
    projectId: p.projectId,
    competitionId: p.competitionId,
    title: p.title,
    status: p.status,
    manager: p.manager,
    currency: p.currency,
    requestedAmount: p.requestedAmount,
    ...(p.approvedAmount ? { approvedAmount: p.approvedAmount } : {}),
    disbursed: p.disbursed,
    remaining: showMoney(Rational.parse(budget).sub(Rational.parse(p.disbursed))),
    milestones: p.milestones.map((m): ManagerMilestone => {
      const returned = m.status === 'PLANNED' ? lastReturn(m.milestoneId) : undefined;
      return {
        milestoneId: m.milestoneId,
        title: m.title,
        trancheAmount: m.trancheAmount,
        status: m.status,
        ...(m.report ? { report: { summary: m.report.summary, at: m.report.at } } : {}),
        ...(m.acceptedAt ? { acceptedAt: m.acceptedAt } : {}),
        ...(returned ? { returned } : {}),
        ...(m.paid
          ? {
              paid: {
                amount: m.paid.amount,
                at: m.paid.at,
                ...(m.paid.reference ? { reference: m.paid.reference } : {}),
              },
            }
          : {}),
        documents: documentsOf(m.milestoneId),
        reportable: reportable.has(m.milestoneId),
      };
    }),
    financing: p.financing.map((f) => ({
      at: f.at,
      round: f.round,
      ...(f.investor ? { investor: f.investor } : {}),
      outcome: f.outcome,
    })),
    ...(p.conversion ? { conversion: p.conversion } : {}),
    ...(p.closeOut
      ? {
          closeOut: {
            kind: p.closeOut.kind,
            reason: p.closeOut.reason,
            unspentBalance: p.closeOut.unspentBalance,
            at: p.closeOut.at,
          },
        }
      : {}),
    /** The project's log without who did it (organizers' identities stay with the organizers). */
    log: p.log.map((l) => ({ at: l.at, event: l.event, ...(l.detail ? { detail: l.detail } : {}) })),
  };
};
export type ManagerView = ReturnType<typeof managerView>;

const STATUS: Record<Project['status'], { zh: string; en: string }> = {
  PENDING_APPOINTMENT: { zh: '待接受聘任', en: 'Appointment pending' },
  APPOINTMENT_EXPIRED: { zh: '聘任已过期', en: 'Appointment expired' },
  DECLINED: { zh: '已婉拒聘任', en: 'Appointment declined' },
  PENDING_MEETING: { zh: '待专题会审议', en: 'Awaiting the special review meeting' },
  REJECTED: { zh: '专题会未通过', en: 'Not approved by the meeting' },
  ACTIVE: { zh: '实施中', en: 'Active' },
  RESEARCH_COMPLETED: { zh: '研发完成', en: 'Research completed' },
  CONVERTED: { zh: '已转股', en: 'Converted to equity' },
  CLOSED_LENIENT: { zh: '宽容结题', en: 'Closed leniently' },
};
const MILESTONE_STATUS: Record<MilestoneStatus, { zh: string; en: string }> = {
  PLANNED: { zh: '待提交报告', en: 'Report due' },
  REPORTED: { zh: '报告待验收', en: 'Report under review' },
  ACCEPTED: { zh: '已验收，待拨付', en: 'Accepted, tranche due' },
  PAID: { zh: '已拨付', en: 'Paid' },
};

export interface WorkspacePageModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  view: ManagerView;
  saved?: boolean;
  errors?: FieldIssue[];
  /** What was typed before a refused report, shown again. */
  draft?: { milestoneId: string; summary?: string };
}

const day = (iso: string) => iso.slice(0, 10);

export const renderWorkspacePage = (m: WorkspacePageModel): string => {
  const en = m.lang === 'en';
  const v = m.view;
  const err = new Map((m.errors ?? []).map((e) => [e.path, e.message]));
  const money = (amount: string) => `${h(amount)} ${h(v.currency)}`;
  const milestone = (x: ManagerMilestone) => {
    const lines = [
      `<p><b>${h(x.title)}</b> · ${en ? 'tranche' : '拨款'} ${money(x.trancheAmount)} · <span class="status status-${x.status.toLowerCase()}">${h(inLanguage(MILESTONE_STATUS[x.status], m.lang))}</span></p>`,
      x.returned
        ? `<p class="err">${en ? 'Report returned on' : '报告于'} ${h(day(x.returned.at))}${en ? ': ' : ' 退回：'}${h(x.returned.reason)}</p>`
        : '',
      x.report && x.status !== 'PLANNED'
        ? `<p class="muted">${en ? 'Reported' : '报告提交于'} ${h(day(x.report.at))}</p><blockquote>${h(x.report.summary)}</blockquote>`
        : '',
      x.acceptedAt ? `<p class="ok">${en ? 'Accepted on' : '验收通过于'} ${h(day(x.acceptedAt))}</p>` : '',
      x.paid
        ? `<p class="ok">${en ? 'Paid' : '已拨付'} ${money(x.paid.amount)} · ${h(day(x.paid.at))}${x.paid.reference ? ` · ${h(x.paid.reference)}` : ''}</p>`
        : '',
      x.documents.length
        ? `<ul class="files">${x.documents.map((d) => `<li>${h(d.fileName)} <span class="muted">(${h(d.status)}${d.reason ? `: ${h(d.reason)}` : ''})</span></li>`).join('')}</ul>`
        : '',
    ];
    const draft = m.draft?.milestoneId === x.milestoneId ? m.draft.summary : undefined;
    const form = x.reportable
      ? `<form method="post" action="${h(m.action)}"><input type="hidden" name="action" value="report"><input type="hidden" name="lang" value="${m.lang}">
<input type="hidden" name="milestoneId" value="${h(x.milestoneId)}"><label for="summary-${h(x.milestoneId)}">${en ? 'Milestone report' : '里程碑报告'}</label>
<textarea id="summary-${h(x.milestoneId)}" name="summary" maxlength="4000">${h(draft ?? '')}</textarea>
${draft !== undefined && err.has('summary') ? `<div class="err">${h(err.get('summary')!)}</div>` : ''}
<button class="primary" type="submit">${en ? 'Submit the report' : '提交报告'}</button>
<p class="muted">${en ? 'Files go with a report sent through the API (its documents field): each gets an upload form and the malware scan.' : '附件请通过 API 随报告提交（documents 字段）：每个文件获得上传表单并经恶意软件扫描。'}</p></form>`
      : '';
    return `<li class="milestone" id="m-${h(x.milestoneId)}">${lines.join('')}${form}</li>`;
  };
  const financing = v.financing.length
    ? `<section><h2>${en ? 'Financing rounds' : '融资'}</h2><ul>${v.financing
        .map(
          (f) =>
            `<li>${h(day(f.at))} · ${en ? 'round' : '融资额'} ${money(f.round.roundSize)}${f.investor ? ` · ${h(f.investor)}` : ''} — ${
              f.outcome.qualifies
                ? en
                  ? 'the grant converted'
                  : '资助转为股权'
                : `${en ? 'no conversion' : '未转股'}: ${h(f.outcome.reason)}`
            }</li>`,
        )
        .join('')}</ul></section>`
    : '';
  const conversion = v.conversion
    ? `<section><h2>${en ? 'Conversion into equity' : '转股'}</h2>
<p><b>${h(v.conversion.shares)}</b> ${en ? 'shares at' : '股，每股'} ${h(v.conversion.conversionPrice)} (${h(v.conversion.appliedTerm)}) · ${en ? 'ownership' : '持股比例'} ${h(v.conversion.ownershipPercent)}%</p>
<ol class="arithmetic">${v.conversion.arithmetic.map((s) => `<li><code>${h(s)}</code></li>`).join('')}</ol></section>`
    : '';
  const closeOut = v.closeOut
    ? `<p class="note">${h(inLanguage(STATUS[v.status], m.lang))}: ${h(v.closeOut.reason)} · ${en ? 'unspent' : '结余'} ${money(v.closeOut.unspentBalance)}</p>`
    : '';
  const errors = m.errors?.length
    ? `<div class="err" role="alert"><ul>${m.errors.map((e) => `<li>${h(e.path)}: ${h(e.message)}</li>`).join('')}</ul></div>`
    : '';
  const body = `<div class="top"><div><div class="muted">${h(inLanguage(m.competitionTitle, m.lang))}</div>
<h1>${en ? 'Project workspace' : '项目工作台'}</h1></div><a href="${h(m.action)}?lang=${en ? 'zh' : 'en'}">${en ? '中文' : 'English'}</a></div>
${m.saved ? `<p class="ok" role="status">${en ? 'Report submitted: the organizer will review it.' : '报告已提交，等待组委会验收。'}</p>` : ''}${errors}
<section><h2>${h(v.title)}</h2><p>${en ? 'Project manager' : '项目经理'}: ${h(v.manager.name)} · <span class="status">${h(inLanguage(STATUS[v.status], m.lang))}</span></p>
<p>${v.approvedAmount ? `${en ? 'Approved grant' : '批准资助'} ${money(v.approvedAmount)}` : `${en ? 'Requested grant' : '申请资助'} ${money(v.requestedAmount)}`} · ${en ? 'disbursed' : '已拨付'} ${money(v.disbursed)} · ${en ? 'remaining' : '余额'} ${money(v.remaining)}</p>${closeOut}</section>
<section><h2>${en ? 'Milestones' : '里程碑'}</h2><ol class="milestones">${v.milestones.map(milestone).join('')}</ol></section>
${financing}${conversion}
<section><h2>${en ? 'Project log' : '项目记录'}</h2><ul class="muted">${v.log
    .map((l) => `<li>${h(day(l.at))} ${h(l.event)}${l.detail ? `: ${h(l.detail)}` : ''}</li>`)
    .join('')}</ul></section>`;
  return layout(m.lang, `${en ? 'Project workspace' : '项目工作台'} · ${v.title}`, body);
};
