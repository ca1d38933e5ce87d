import { inLanguage, escapeHtml as h } from '../text.ts';
import { fileList, layout, type Lang, type PageFile } from '../review/page.ts';

/**
 * The two signed-link pages of the award stage, server-rendered and usable
 * without JavaScript: a challenge sponsor confirming its winning solver
 * (揭榜挂帅), and a winner's lead accepting the project-manager appointment
 * (项目经理聘任). GET shows, POST answers.
 */

const switcher = (action: string, lang: Lang) =>
  `<a href="${h(action)}?lang=${lang === 'en' ? 'zh' : 'en'}">${lang === 'en' ? '中文' : 'English'}</a>`;

export interface SponsorPageModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  trackName: { zh: string; en?: string };
  need: { zh: string; en?: string };
  /** Each proposed winner with the solution's clean documents, opened through the sponsor's own link. */
  winners: Array<{
    awardName: { zh: string; en?: string };
    title: string;
    organizationName: string;
    score: number;
    files: PageFile[];
  }>;
  closesAt: string;
  status: 'PENDING' | 'CONFIRMED' | 'DECLINED' | 'TIMED_OUT';
  reason?: string;
}

export const renderSponsorPage = (m: SponsorPageModel) => {
  const en = m.lang === 'en';
  const winners = m.winners
    .map(
      (w) =>
        `<li><strong>${h(inLanguage(w.awardName, m.lang))}</strong> — ${h(w.title)} (${h(w.organizationName)}) · ${en ? 'final score' : '决赛得分'} ${w.score}${w.files.length ? fileList(w.files, m.lang) : `<p class="muted">${en ? 'No documents' : '未提交材料'}</p>`}</li>`,
    )
    .join('');
  const answered =
    m.status === 'PENDING'
      ? `<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}">
<button class="primary" name="action" value="confirm">${en ? 'Confirm the winners' : '确认获奖方案'}</button>
<label for="reason">${en ? 'Or decline, with the reason' : '或提出异议并说明理由'}</label><textarea id="reason" name="reason" maxlength="1000"></textarea>
<button name="action" value="decline">${en ? 'Decline' : '不予确认'}</button></form>`
      : `<p class="ok">${h(
          {
            CONFIRMED: en ? 'You confirmed the winners. Thank you.' : '贵单位已确认获奖方案，谢谢。',
            DECLINED: en
              ? `You declined the winners${m.reason ? `: ${m.reason}` : ''}.`
              : `贵单位未予确认${m.reason ? `：${m.reason}` : ''}。`,
            TIMED_OUT: en
              ? 'The confirmation window has closed; the organizer’s decision stands.'
              : '确认期限已过，以组委会决定为准。',
          }[m.status],
        )}</p>`;
  return layout(
    m.lang,
    en ? 'Confirm the winning solution' : '揭榜结果确认',
    `<div class="top"><h1>${en ? 'Confirm the winning solution' : '揭榜结果确认'}</h1>${switcher(m.action, m.lang)}</div>
<section><p class="muted">${h(inLanguage(m.competitionTitle, m.lang))}</p><h2>${h(inLanguage(m.trackName, m.lang))}</h2><p>${h(inLanguage(m.need, m.lang))}</p></section>
<section><h2>${en ? 'Proposed winners' : '拟获奖方案'}</h2><ul>${winners}</ul><p class="muted">${en ? 'Answer by' : '请于'} ${h(m.closesAt)}${en ? '' : ' 前答复'}</p>${answered}</section>`,
  );
};

export interface AppointmentPageModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  projectTitle: string;
  awardName: { zh: string; en?: string };
  managerName: string;
  termMonths: number;
  responsibilities: { zh: string; en?: string };
  requestedAmount: string;
  currency: string;
  milestones: Array<{ title: string; trancheAmount: string }>;
  expiresAt: string;
  /** Once accepted: the project manager's workspace (a signed link valid for the term). */
  workspaceHref?: string;
  answer?: { accepted: boolean; reason?: string };
}

export const renderAppointmentPage = (m: AppointmentPageModel) => {
  const en = m.lang === 'en';
  const tranches = m.milestones.map((x) => `<li>${h(x.title)}: ${h(x.trancheAmount)} ${h(m.currency)}</li>`).join('');
  const answer = m.answer
    ? `<p class="ok">${h(m.answer.accepted ? (en ? 'You accepted the appointment. The special review meeting will decide the funding.' : '您已接受聘任，资助额度将由专题会审议确定。') : en ? 'You declined the appointment.' : '您已婉拒聘任。')}</p>${
        m.workspaceHref
          ? `<p><a class="workspace" href="${h(m.workspaceHref)}">${en ? 'Open your project workspace' : '进入项目工作台'}</a> <span class="muted">${en ? '(keep this link: it is yours for the whole term, and its last part is your API token)' : '（请保存此链接：任期内有效，链接末段即 API 令牌）'}</span></p>`
          : ''
      }`
    : `<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}">
<button class="primary" name="action" value="accept">${en ? 'Accept the appointment' : '接受聘任'}</button>
<label for="reason">${en ? 'Or decline (optional reason)' : '或婉拒（可填写原因）'}</label><textarea id="reason" name="reason" maxlength="1000"></textarea>
<button name="action" value="decline">${en ? 'Decline' : '婉拒'}</button></form>`;
  return layout(
    m.lang,
    en ? 'Appointment as project manager' : '项目经理聘任',
    `<div class="top"><h1>${en ? 'Appointment as project manager' : '项目经理聘任'}</h1>${switcher(m.action, m.lang)}</div>
<section><p class="muted">${h(inLanguage(m.competitionTitle, m.lang))} · ${h(inLanguage(m.awardName, m.lang))}</p><h2>${h(m.projectTitle)}</h2>
<p>${en ? 'Appointee' : '聘任人'}: <strong>${h(m.managerName)}</strong> · ${en ? 'term' : '任期'} ${m.termMonths} ${en ? 'months' : '个月'}</p>
<p>${h(inLanguage(m.responsibilities, m.lang))}</p>
<p>${en ? 'Requested grant (grant-then-equity)' : '申请资助（拨投结合、先投后股）'}: <strong>${h(m.requestedAmount)} ${h(m.currency)}</strong></p><ul>${tranches}</ul>
<p class="muted">${en ? 'Answer by' : '请于'} ${h(m.expiresAt)}${en ? '' : ' 前答复'}</p>${answer}</section>`,
  );
};
