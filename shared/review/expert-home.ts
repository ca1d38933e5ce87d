import * as z from 'zod';
import type { FieldIssue } from '../errors.ts';
import { inLanguage, escapeHtml as h } from '../text.ts';
import { formatClose } from './messages.ts';
import { layout, type Lang } from './page.ts';

/**
 * An expert's home in one review round (`/experts/{token}`): every review given to them in the round,
 * where each stands, the deadline, how many documents each entry has and a link to each review page;
 * a language choice that sticks, and a form to decline the whole round. Server-rendered, bilingual,
 * works without JavaScript; every stored text goes through escapeHtml.
 */
export type HomeItemStatus = 'pending' | 'draft' | 'submitted' | 'declined' | 'withdrawn';

/** Where one assignment stands, as its expert sees it (REVOKED: taken back and given to a backup). */
export const homeItemStatus = (a: { status: string; draft?: unknown }): HomeItemStatus =>
  a.status === 'SUBMITTED'
    ? 'submitted'
    : a.status === 'DECLINED'
      ? 'declined'
      : a.status === 'REVOKED'
        ? 'withdrawn'
        : a.draft
          ? 'draft'
          : 'pending';

/**
 * "5 of 8 submitted": the reviews still expected from the expert are those neither declined nor taken
 * back, so declining one or having one reassigned shrinks the total instead of leaving it unreachable.
 */
export const homeProgress = (statuses: HomeItemStatus[]) => ({
  submitted: statuses.filter((s) => s === 'submitted').length,
  expected: statuses.filter((s) => s !== 'declined' && s !== 'withdrawn').length,
});

/** What the page's forms post: a language that sticks, or declining the round with a reason. */
export const expertHomeFormBody = z.strictObject({
  action: z.enum(['language', 'decline']),
  lang: z.enum(['zh', 'en']).optional(),
  reason: z.string().max(1000).optional(),
});
export type ExpertHomeForm = z.infer<typeof expertHomeFormBody>;

/** The form's checks beyond its shape, as field issues the page shows beside the field. */
export const expertHomeFormIssues = (form: ExpertHomeForm): FieldIssue[] => {
  if (form.action === 'language' && !form.lang)
    return [{ path: 'lang', message: 'choose zh or en', code: 'invalid_value' }];
  if (form.action === 'decline' && (form.reason ?? '').trim().length < 2)
    return [{ path: 'reason', message: 'give a reason (at least 2 characters)', code: 'too_small' }];
  return [];
};

export interface ExpertHomeItem {
  /** The entry's title as the review page shows it (blacked out where a blind round names the applicant). */
  title: string;
  track: { zh: string; en?: string };
  status: HomeItemStatus;
  /** Documents the reviewer can open (in a blind round, the anonymized copies). */
  documents: number;
  /** The review page; absent for a review taken back (its link no longer works). */
  href?: string;
}

export interface ExpertHomeModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  roundName: { zh: string; en?: string };
  closesAt: string;
  blind: boolean;
  /** Reviews can still be given or declined. */
  open: boolean;
  frozen: boolean;
  declined?: { at: string; reason?: string };
  items: ExpertHomeItem[];
  saved?: 'language' | 'declined';
  errors?: FieldIssue[];
  /** The reason typed before a failed decline, shown again. */
  reason?: string;
}

const T = {
  zh: {
    title: '我的评审',
    progress: (s: number, n: number) => `已提交 ${s} / ${n} 项`,
    closes: '评审截止',
    blind: '本轮为盲评：申报人信息已隐去。',
    entry: '作品',
    track: '赛道',
    status: '状态',
    documents: '材料',
    open: '打开评审',
    none: '本轮暂无分配给您的评审。',
    statuses: { pending: '待评审', draft: '草稿', submitted: '已提交', declined: '已回避', withdrawn: '已收回' },
    language: '邮件与页面语言',
    languageSaved: '语言已保存：本轮后续邮件将使用中文。',
    declineTitle: '婉拒本轮评审',
    declineHelp: '如无法完成本轮评审，可一次婉拒全部尚未提交的评审，组委会将交由候补专家完成。已提交的评审不受影响。',
    reason: '原因',
    decline: '婉拒本轮全部未完成评审',
    declined: (at: string) => `您已于 ${at}婉拒本轮评审，尚未提交的评审已转交候补专家。`,
    closed: '本轮评审已截止。',
    frozen: '本轮评审已计分，结果已锁定。',
    errors: '请检查以下内容：',
  },
  en: {
    title: 'My reviews',
    progress: (s: number, n: number) => `${s} of ${n} submitted`,
    closes: 'Reviews close',
    blind: 'This round is blind: applicant details are hidden.',
    entry: 'Entry',
    track: 'Track',
    status: 'Status',
    documents: 'Documents',
    open: 'Open review',
    none: 'No review has been given to you in this round.',
    statuses: {
      pending: 'To do',
      draft: 'Draft',
      submitted: 'Submitted',
      declined: 'Declined',
      withdrawn: 'Withdrawn',
    },
    language: 'Language of e-mails and pages',
    languageSaved: 'Language saved: this round’s next e-mails will be in English.',
    declineTitle: 'Decline this round',
    declineHelp:
      'If you cannot review in this round, decline every review you have not submitted at once; the organizer hands them to backup reviewers. Submitted reviews stay as they are.',
    reason: 'Reason',
    decline: 'Decline all my pending reviews in this round',
    declined: (at: string) =>
      `You declined this round on ${at}; the reviews you had not submitted went to backup reviewers.`,
    closed: 'The review window has closed.',
    frozen: 'This round has been tallied: its reviews are final.',
    errors: 'Please check:',
  },
} as const;

export const renderExpertHome = (m: ExpertHomeModel): string => {
  const t = T[m.lang];
  const progress = homeProgress(m.items.map((i) => i.status));
  const pendingLeft = m.items.some((i) => i.status === 'pending' || i.status === 'draft');
  const err = new Map((m.errors ?? []).map((e) => [e.path, e.message]));
  const notices = [
    m.saved === 'language' ? `<p class="ok" role="status">${h(t.languageSaved)}</p>` : '',
    m.declined ? `<p class="ok" role="status">${h(t.declined(formatClose(m.declined.at, m.lang)))}</p>` : '',
    m.errors?.length
      ? `<div class="err" role="alert"><p>${h(t.errors)}</p><ul>${m.errors.map((e) => `<li>${h(e.path)}: ${h(e.message)}</li>`).join('')}</ul></div>`
      : '',
    m.blind ? `<p class="note">${h(t.blind)}</p>` : '',
    m.frozen ? `<p class="note">${h(t.frozen)}</p>` : !m.open ? `<p class="note">${h(t.closed)}</p>` : '',
  ].join('');
  const row = (i: ExpertHomeItem) => {
    const title = i.href ? `<a href="${h(i.href)}">${h(i.title)}</a>` : h(i.title);
    const status = `<span class="status status-${i.status}">${h(t.statuses[i.status])}</span>`;
    const open = i.href ? `<a class="open" href="${h(i.href)}">${h(t.open)}</a>` : '';
    return `<tr><td>${title}</td><td data-label="${h(t.track)}">${h(inLanguage(i.track, m.lang))}</td>
<td data-label="${h(t.status)}">${status}</td><td data-label="${h(t.documents)}">${i.documents}</td><td>${open}</td></tr>`;
  };
  const head = [t.entry, t.track, t.status, t.documents, ''].map((c) => `<th>${h(c)}</th>`).join('');
  const table = m.items.length
    ? `<table class="reviews"><thead><tr>${head}</tr></thead><tbody>${m.items.map(row).join('\n')}</tbody></table>`
    : `<p>${h(t.none)}</p>`;
  const languageForm = `<form method="post" action="${h(m.action)}" class="lang"><input type="hidden" name="action" value="language">
<span class="muted">${h(t.language)}:</span> <button type="submit" name="lang" value="zh"${m.lang === 'zh' ? ' aria-pressed="true"' : ''}>中文</button><button type="submit" name="lang" value="en"${m.lang === 'en' ? ' aria-pressed="true"' : ''}>English</button></form>`;
  const declineForm =
    m.open && !m.declined && pendingLeft
      ? `<form method="post" action="${h(m.action)}"><input type="hidden" name="action" value="decline"><input type="hidden" name="lang" value="${m.lang}">
<section><h2>${h(t.declineTitle)}</h2><p class="muted">${h(t.declineHelp)}</p>
<label for="reason">${h(t.reason)}</label><textarea id="reason" name="reason" maxlength="1000">${h(m.reason ?? '')}</textarea>
${err.has('reason') ? `<div class="err">${h(err.get('reason')!)}</div>` : ''}
<button type="submit">${h(t.decline)}</button></section></form>`
      : '';
  const body = `<div class="top"><div><div class="muted">${h(inLanguage(m.competitionTitle, m.lang))} · ${h(inLanguage(m.roundName, m.lang))}</div><h1>${h(t.title)}</h1></div>
${languageForm}</div>
${notices}
<section><p class="progress"><b>${h(t.progress(progress.submitted, progress.expected))}</b> · ${h(t.closes)}: <time datetime="${h(m.closesAt)}">${h(formatClose(m.closesAt, m.lang))}</time></p>
${table}</section>
${declineForm}`;
  return layout(m.lang, `${t.title} · ${inLanguage(m.roundName, m.lang)}`, body);
};
