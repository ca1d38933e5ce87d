import type { Criterion } from './scoring.ts';
import type { FieldIssue } from '../errors.ts';
import { inLanguage, escapeHtml as h } from '../text.ts';
import type { reviewerView } from './review-form.ts';

/**
 * The reviewer page: server-rendered, works without JavaScript, bilingual,
 * narrow-screen friendly. Every stored text goes through escapeHtml.
 */
export type Lang = 'zh' | 'en';

const T = {
  zh: {
    title: '专家评审',
    entry: '参赛项目',
    summary: '项目摘要',
    solution: '解决方案',
    keywords: '关键词',
    documents: '材料',
    noDocuments: '暂无已通过安全扫描的材料',
    applicant: '申报主体',
    blind: '本轮为盲评：申报人信息已隐去。',
    rubric: '评分',
    weight: '权重',
    range: '分值',
    comment: '评审意见',
    draft: '保存草稿',
    submit: '提交评审',
    conflict: '声明回避',
    conflictReason: '回避原因',
    conflictHelp: '如与申报主体存在利益冲突，请声明回避，本评审将改派其他专家。',
    closes: '评审截止',
    saved: '草稿已保存。',
    submitted: '评审已提交，截止前仍可修改。',
    declined: '已声明回避，感谢。',
    errors: '请检查以下内容：',
    switch: 'English',
    closed: '评审已截止，不能再修改。',
    frozen: '本轮评审已计分，评审结果已锁定，不能再修改。',
  },
  en: {
    title: 'Expert review',
    entry: 'Entry',
    summary: 'Summary',
    solution: 'Proposed solution',
    keywords: 'Keywords',
    documents: 'Documents',
    noDocuments: 'No document has passed the malware scan yet',
    applicant: 'Applicant',
    blind: 'This round is blind: applicant details are hidden.',
    rubric: 'Scores',
    weight: 'weight',
    range: 'range',
    comment: 'Comments',
    draft: 'Save draft',
    submit: 'Submit review',
    conflict: 'Declare a conflict',
    conflictReason: 'Reason',
    conflictHelp:
      'If you have a conflict of interest with the applicant, declare it and the review will go to another expert.',
    closes: 'Review closes',
    saved: 'Draft saved.',
    submitted: 'Review submitted. You can still change it until the round closes.',
    declined: 'Conflict declared. Thank you.',
    errors: 'Please check:',
    switch: '中文',
    closed: 'The review window has closed; the review can no longer be changed.',
    frozen: 'This round has been tallied: its reviews are final and can no longer be changed.',
  },
} as const;

/** A document a link page lists: opened through the link's own document route. */
export interface PageFile {
  type: string;
  name?: string;
  size: number;
  /** A PDF's page count, where it could be read. */
  pages?: number;
  href: string;
}

export interface ReviewPageModel {
  lang: Lang;
  action: string;
  competitionTitle: { zh: string; en?: string };
  roundName: { zh: string; en?: string };
  blind: boolean;
  closesAt: string;
  open: boolean;
  /** The round has been tallied: its reviews are frozen (shown instead of the form). */
  frozen?: boolean;
  entry: ReturnType<typeof reviewerView>;
  /** The entry's uploaded documents scanned clean (in a blind round, only the anonymized copies), each with its link. */
  files?: PageFile[];
  criteria: Array<Criterion & { name: { zh: string; en?: string } }>;
  values: { scores: Record<string, number | string>; comment?: string };
  status?: 'saved' | 'submitted' | 'declined';
  errors?: FieldIssue[];
}

const DOCUMENT_LABELS: Record<string, { zh: string; en: string }> = {
  BUSINESS_PLAN: { zh: '商业计划书', en: 'Business plan' },
  TECHNICAL_PROPOSAL: { zh: '技术方案', en: 'Technical proposal' },
  PATENT: { zh: '专利', en: 'Patent' },
  FINANCIAL_STATEMENT: { zh: '财务报表', en: 'Financial statement' },
  VIDEO: { zh: '视频', en: 'Video' },
  OTHER: { zh: '其他', en: 'Other' },
};
const documentLabel = (type: string, lang: Lang) => DOCUMENT_LABELS[type]?.[lang] ?? type;

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:760px;margin:0 auto;padding:16px}section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:16px;margin:12px 0}
h1{font-size:1.3rem;margin:.2em 0}h2{font-size:1.1rem;margin:.2em 0 .6em}label{display:block;font-weight:600;margin:.6em 0 .2em}
input[type=number]{width:7em;font-size:1rem;padding:6px}textarea{width:100%;min-height:8em;font-size:1rem;padding:6px;box-sizing:border-box}
button{font-size:1rem;padding:10px 16px;margin:8px 8px 0 0;border-radius:6px;border:1px solid #888;background:#fff}button.primary{background:#0b5cad;color:#fff;border-color:#0b5cad}
.note{background:#eef6ff;border-left:4px solid #0b5cad;padding:8px 12px}.ok{background:#eefaf0;border-left:4px solid #2f8f46;padding:8px 12px}
.err{background:#fdeeee;border-left:4px solid #b3261e;padding:8px 12px}.muted{color:#5b6470;font-size:.9rem}.top{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #dde1e6;vertical-align:top}
.status{white-space:nowrap;font-size:.9rem;padding:1px 6px;border-radius:4px;background:#eef0f3}.status-submitted{background:#eefaf0}.status-draft{background:#fff6e0}
button[aria-pressed=true]{background:#0b5cad;color:#fff;border-color:#0b5cad}.lang button{padding:4px 10px;margin:0 0 0 4px}
@media (max-width:600px){table.reviews thead{display:none}table.reviews tr{display:block;padding:8px 0;border-bottom:1px solid #dde1e6}
table.reviews td{display:inline-block;border:0;padding:2px 8px 2px 0}table.reviews td:first-child{display:block;font-weight:600}
table.reviews td[data-label]::before{content:attr(data-label) ": ";color:#5b6470;font-size:.9rem}}`;

export const layout = (lang: Lang, title: string, body: string) => `<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${h(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;

const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The list of documents on a link page (review, sponsor confirmation). */
export const fileList = (files: PageFile[], lang: Lang) =>
  `<ul class="files">${files
    .map(
      (f) =>
        `<li><a href="${h(f.href)}" rel="noopener" target="_blank">${h(documentLabel(f.type, lang))}${f.name ? ` · ${h(f.name)}` : ''}</a> <span class="muted">(${f.pages ? `${f.pages} ${lang === 'en' ? (f.pages === 1 ? 'page' : 'pages') : '页'} · ` : ''}${h(sizeLabel(f.size))})</span></li>`,
    )
    .join('')}</ul>`;

export const renderReviewPage = (m: ReviewPageModel): string => {
  const t = T[m.lang];
  const err = new Map((m.errors ?? []).map((e) => [e.path, e.message]));
  const other: Lang = m.lang === 'en' ? 'zh' : 'en';
  const status = m.status ? `<p class="ok" role="status">${h(t[m.status])}</p>` : '';
  const errors = m.errors?.length
    ? `<div class="err" role="alert"><p>${h(t.errors)}</p><ul>${m.errors.map((e) => `<li>${h(e.path)}: ${h(e.message)}</li>`).join('')}</ul></div>`
    : '';
  const entry = m.entry;
  const scoreFields = m.criteria
    .map(
      (
        c,
      ) => `<label for="s-${h(c.criterionId)}">${h(inLanguage(c.name, m.lang))} <span class="muted">(${h(t.weight)} ${c.weight}%, ${h(t.range)} ${c.minScore}–${c.maxScore})</span></label>
<input type="number" inputmode="numeric" id="s-${h(c.criterionId)}" name="score.${h(c.criterionId)}" min="${c.minScore}" max="${c.maxScore}" step="1" value="${h(String(m.values.scores[c.criterionId] ?? ''))}"${m.open ? '' : ' disabled'}>
${err.has(`score.${c.criterionId}`) ? `<div class="err">${h(err.get(`score.${c.criterionId}`)!)}</div>` : ''}`,
    )
    .join('\n');
  const body = `<div class="top"><div><div class="muted">${h(inLanguage(m.competitionTitle, m.lang))} · ${h(inLanguage(m.roundName, m.lang))}</div><h1>${h(t.title)}</h1></div>
<a href="?lang=${other}">${h(t.switch)}</a></div>
${status}${errors}
<p class="muted">${h(t.closes)}: <time datetime="${h(m.closesAt)}">${h(m.closesAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time></p>
${m.blind ? `<p class="note">${h(t.blind)}</p>` : ''}
<section><h2>${h(t.entry)}: ${h(entry.title)}</h2>
${entry.applicant ? `<p><b>${h(t.applicant)}:</b> ${h(entry.applicant.organizationName)} (${h(entry.applicant.region)}) · ${h(entry.applicant.lead)}</p>` : ''}
${entry.summary ? `<h3>${h(t.summary)}</h3><p>${h(entry.summary)}</p>` : ''}
${entry.solution ? `<h3>${h(t.solution)}</h3><p>${h(entry.solution)}</p>` : ''}
${entry.keywords.length ? `<p><b>${h(t.keywords)}:</b> ${entry.keywords.map(h).join(', ')}</p>` : ''}
${
  m.files?.length
    ? `<h3>${h(t.documents)}</h3>${fileList(m.files, m.lang)}`
    : `<p><b>${h(t.documents)}:</b> ${h(t.noDocuments)}</p>`
}
</section>
${
  m.open
    ? `<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}">
<section><h2>${h(t.rubric)}</h2>${scoreFields}
<label for="comment">${h(t.comment)}</label><textarea id="comment" name="comment">${h(m.values.comment ?? '')}</textarea>
${err.has('comment') ? `<div class="err">${h(err.get('comment')!)}</div>` : ''}
<button type="submit" name="action" value="draft">${h(t.draft)}</button><button class="primary" type="submit" name="action" value="submit">${h(t.submit)}</button></section>
</form>
<form method="post" action="${h(m.action)}"><input type="hidden" name="lang" value="${m.lang}"><section><h2>${h(t.conflict)}</h2><p class="muted">${h(t.conflictHelp)}</p>
<label for="conflictReason">${h(t.conflictReason)}</label><textarea id="conflictReason" name="conflictReason"></textarea>
${err.has('conflictReason') ? `<div class="err">${h(err.get('conflictReason')!)}</div>` : ''}
<button type="submit" name="action" value="conflict">${h(t.conflict)}</button></section></form>`
    : `<p class="note">${h(m.frozen ? t.frozen : t.closed)}</p><section><h2>${h(t.rubric)}</h2>${scoreFields}</section>`
}`;
  return layout(m.lang, `${t.title} · ${entry.title}`, body);
};
