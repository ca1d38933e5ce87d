import { fileList, layout, type Lang, type PageFile } from './review/page.ts';
import { escapeHtml as h } from './text.ts';

/**
 * A need's sponsor's signed-link page (揭榜): the need and its status, every answer with what the solver
 * proposes and its documents, and a shortlist / decline form per answer. Server-rendered, no JavaScript;
 * GET shows, POST decides and returns here.
 */
const pick = (t: { zh: string; en?: string }, lang: Lang) => (lang === 'en' ? (t.en ?? t.zh) : t.zh);

const NEED_STATUS: Record<string, { zh: string; en: string }> = {
  DRAFT: { zh: '草稿', en: 'draft' },
  SUBMITTED: { zh: '审核中', en: 'being vetted' },
  RETURNED: { zh: '退回修改', en: 'returned for revision' },
  PUBLISHED: { zh: '已发布，接受揭榜', en: 'published: open for answers' },
  REJECTED: { zh: '未通过审核', en: 'not accepted' },
  WITHDRAWN: { zh: '已撤回', en: 'withdrawn' },
};
const ANSWER_STATUS: Record<string, { zh: string; en: string }> = {
  ANSWERED: { zh: '待决定', en: 'to decide' },
  SHORTLISTED: { zh: '已入围', en: 'shortlisted' },
  DECLINED: { zh: '未入围', en: 'declined' },
};

export interface NeedSponsorPageModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  need: { title: { zh: string; en?: string }; status: string; answerDeadline: string; lastReason?: string };
  answers: Array<{
    entryId: string;
    title: string;
    summary: string;
    organizationName: string;
    region: string;
    status: string;
    reason?: string;
    files: PageFile[];
  }>;
  /** Where the next page of answers starts, if there is one. */
  nextCursor?: string;
  saved?: string;
  error?: string;
}

export const renderNeedSponsorPage = (m: NeedSponsorPageModel) => {
  const en = m.lang === 'en';
  const status = NEED_STATUS[m.need.status] ?? { zh: m.need.status, en: m.need.status };
  const answers = m.answers
    .map((a) => {
      const s = ANSWER_STATUS[a.status] ?? { zh: a.status, en: a.status };
      const form = `<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}"><input type="hidden" name="entryId" value="${h(a.entryId)}">
<button class="primary" name="action" value="shortlist">${en ? 'Shortlist' : '入围'}</button>
<label for="r-${h(a.entryId)}">${en ? 'Or decline, with the reason' : '或不予入围并说明理由'}</label><textarea id="r-${h(a.entryId)}" name="reason" maxlength="1000"></textarea>
<button name="action" value="decline">${en ? 'Decline' : '不予入围'}</button></form>`;
      return `<li><h3>${h(a.title)}</h3><p class="muted">${h(a.organizationName)} · ${h(a.region)} · <strong>${h(s[m.lang])}</strong>${a.reason ? ` — ${h(a.reason)}` : ''}</p>
<p>${h(a.summary)}</p>${a.files.length ? fileList(a.files, m.lang) : `<p class="muted">${en ? 'No documents yet' : '尚无材料'}</p>`}${form}</li>`;
    })
    .join('');
  const notice = m.error
    ? `<p class="err" role="alert">${h(m.error)}</p>`
    : m.saved
      ? `<p class="ok">${en ? 'Saved.' : '已保存。'}</p>`
      : '';
  const more = m.nextCursor
    ? `<p><a href="${h(m.action)}?lang=${m.lang}&amp;cursor=${encodeURIComponent(m.nextCursor)}">${en ? 'More answers' : '更多揭榜方案'}</a></p>`
    : '';
  const title = en ? 'Your technology need' : '企业需求';
  return layout(
    m.lang,
    title,
    `<div class="top"><h1>${title}</h1><a href="${h(m.action)}?lang=${en ? 'zh' : 'en'}">${en ? '中文' : 'English'}</a></div>
<section><p class="muted">${h(pick(m.competitionTitle, m.lang))}</p><h2>${h(pick(m.need.title, m.lang))}</h2>
<p>${en ? 'Status' : '状态'}：<strong>${h(status[m.lang])}</strong>${m.need.lastReason ? ` — ${h(m.need.lastReason)}` : ''} · ${en ? 'answers close' : '揭榜截止'} ${h(m.need.answerDeadline)}</p></section>
${notice}<section><h2>${en ? 'Answers' : '揭榜方案'}</h2>${answers ? `<ul>${answers}</ul>` : `<p class="muted">${en ? 'No answers yet.' : '暂无揭榜方案。'}</p>`}${more}</section>`,
  );
};
