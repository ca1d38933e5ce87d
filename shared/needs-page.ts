import { fileList, layout, type Lang, type PageFile } from './review/page.ts';
import { formatClose } from './review/messages.ts';
import { inLanguage, escapeHtml as h } from './text.ts';

/**
 * A need's sponsor's signed-link page (揭榜): the need and its status, every answer with what the solver
 * proposes and its documents, a shortlist / decline form per answer, and for a shortlisted one its meetings
 * and a form proposing another (对接). Server-rendered, no JavaScript;
 * GET shows, POST decides and returns here.
 */

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

const MEETING_STATUS: Record<string, { zh: string; en: string }> = {
  PROPOSED: { zh: '待对方答复', en: 'awaiting the solver' },
  ACCEPTED: { zh: '对方已接受', en: 'accepted' },
  DECLINED: { zh: '对方已婉拒', en: 'declined' },
  CANCELLED: { zh: '已取消', en: 'cancelled' },
  HELD: { zh: '已举行', en: 'held' },
  NOT_HELD: { zh: '未举行', en: 'not held' },
};

/** Meetings whose outcome is still to record (held, not held, or cancelled). */
const OPEN_MEETING = new Set(['PROPOSED', 'ACCEPTED']);

const outcomeForm = (m: Pick<NeedSponsorPageModel, 'action' | 'lang'>, entryId: string, meetingId: string) => {
  const en = m.lang === 'en';
  return `<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}"><input type="hidden" name="entryId" value="${h(entryId)}"><input type="hidden" name="meetingId" value="${h(meetingId)}">
<label>${en ? 'Outcome' : '结果'} <select name="outcome"><option value="HELD">${en ? 'held' : '已举行'}</option><option value="NOT_HELD">${en ? 'not held' : '未举行'}</option><option value="CANCELLED">${en ? 'cancelled' : '取消'}</option></select></label>
<label>${en ? 'Notes (required unless held)' : '说明（未举行或取消时必填）'} <textarea name="notes" maxlength="2000"></textarea></label>
<button name="action" value="outcome">${en ? 'Record' : '记录'}</button></form>`;
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
    /** A shortlisted answer's meetings, and the id its meeting form proposes under (one per page view). */
    meetings?: Array<{ meetingId: string; startsAt: string; format: string; status: string }>;
    meetingFormId?: string;
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
      const meetings = a.meetings?.length
        ? `<ul>${a.meetings
            .map(
              (x) =>
                `<li>${en ? 'Meeting' : '对接会'} ${h(formatClose(x.startsAt, m.lang))} · ${h(x.format)} · <strong>${h(
                  (MEETING_STATUS[x.status] ?? { zh: x.status, en: x.status })[m.lang],
                )}</strong>${OPEN_MEETING.has(x.status) ? outcomeForm(m, a.entryId, x.meetingId) : ''}</li>`,
            )
            .join('')}</ul>`
        : '';
      const meetingForm = a.meetingFormId
        ? `<details><summary>${en ? 'Propose a meeting (对接)' : '提议对接会'}</summary><form method="post" action="${h(m.action)}">
<input type="hidden" name="lang" value="${m.lang}"><input type="hidden" name="entryId" value="${h(a.entryId)}"><input type="hidden" name="meetingId" value="${h(a.meetingFormId)}">
<label>${en ? 'Time (Beijing time)' : '时间（北京时间）'} <input type="datetime-local" name="startsAt" required></label>
<label>${en ? 'Minutes' : '时长（分钟）'} <input type="number" name="durationMinutes" min="15" max="480" value="60" required></label>
<label>${en ? 'Format' : '形式'} <select name="format"><option value="ONLINE">${en ? 'online' : '线上'}</option><option value="ONSITE">${en ? 'on site' : '线下'}</option><option value="HYBRID">${en ? 'hybrid' : '线上线下结合'}</option></select></label>
<label>${en ? 'Meeting link (https)' : '会议链接（https）'} <input type="url" name="link" maxlength="500"></label>
<label>${en ? 'Place' : '地点'} <input type="text" name="place" maxlength="200"></label>
<label>${en ? 'Your attendees (names, separated by commas)' : '我方参会人员（姓名，以逗号分隔）'} <input type="text" name="attendees" maxlength="1400" required></label>
<label>${en ? 'Agenda' : '议程'} <textarea name="agenda" maxlength="2000"></textarea></label>
<button class="primary" name="action" value="meeting">${en ? 'Propose the meeting' : '发出对接邀请'}</button></form></details>`
        : '';
      return `<li><h3>${h(a.title)}</h3><p class="muted">${h(a.organizationName)} · ${h(a.region)} · <strong>${h(s[m.lang])}</strong>${a.reason ? ` — ${h(a.reason)}` : ''}</p>
<p>${h(a.summary)}</p>${a.files.length ? fileList(a.files, m.lang) : `<p class="muted">${en ? 'No documents yet' : '尚无材料'}</p>`}${form}${meetings}${meetingForm}</li>`;
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
<section><p class="muted">${h(inLanguage(m.competitionTitle, m.lang))}</p><h2>${h(inLanguage(m.need.title, m.lang))}</h2>
<p>${en ? 'Status' : '状态'}：<strong>${h(status[m.lang])}</strong>${m.need.lastReason ? ` — ${h(m.need.lastReason)}` : ''} · ${en ? 'answers close' : '揭榜截止'} ${h(m.need.answerDeadline)}</p></section>
${notice}<section><h2>${en ? 'Answers' : '揭榜方案'}</h2>${answers ? `<ul>${answers}</ul>` : `<p class="muted">${en ? 'No answers yet.' : '暂无揭榜方案。'}</p>`}${more}</section>`,
  );
};

/** The page's meeting form, as posted: strings only. */
export interface MeetingForm {
  startsAt?: string;
  durationMinutes?: string;
  format?: string;
  link?: string;
  place?: string;
  attendees?: string;
  agenda?: string;
}

/**
 * The form as the API's meeting proposal, for the same checks (and field paths): the time a browser's
 * datetime-local field sends is Beijing time, the attendees a list of the sponsor's people.
 */
export const proposalFromForm = (f: MeetingForm): Record<string, unknown> => {
  const local = f.startsAt?.trim() ?? '';
  const blank = (v?: string) => (v?.trim() ? v.trim() : undefined);
  return {
    startsAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local,
    durationMinutes: Number(f.durationMinutes ?? 'NaN'),
    format: f.format,
    ...(blank(f.link) ? { link: blank(f.link) } : {}),
    ...(blank(f.place) ? { place: blank(f.place) } : {}),
    attendees: (f.attendees ?? '')
      .split(/[,，、;；\n]/)
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => ({ name, side: 'SPONSOR' })),
    ...(blank(f.agenda) ? { agenda: blank(f.agenda) } : {}),
  };
};
