import type { ApplicantNoticeKind } from '../applicant-notices.ts';
import { escapeHtml, headerSafe } from '../text.ts';

/**
 * The e-mails experts receive, rendered from an outbox record: subject, plain
 * text and HTML, in the expert's language (中文 or English). Links are absolute
 * (the API's public base URL in front of the stored path).
 */
export interface MessageModel {
  kind:
    | 'ASSIGNED'
    | 'ADDED'
    | 'REMINDER'
    | 'WITHDRAWN'
    | 'EXPERT_HOME_LINK'
    | 'SPONSOR_CONFIRMATION'
    | 'APPOINTMENT'
    | 'PROJECT_WORKSPACE'
    | 'ORGANIZER_NOTICE'
    | 'NEED_SPONSOR_LINK'
    | ApplicantNoticeKind;
  language: 'zh' | 'en';
  competitionTitle: { zh: string; en?: string };
  roundName: { zh: string; en?: string };
  closesAt: string;
  links: Array<{ assignmentId: string; purpose?: string; path?: string }>;
  /** How many reviews a review message is about (default: one per link). */
  reviews?: number;
  hoursBefore?: number;
  /** Message-specific lines (award, track, project), shown as a list. */
  details?: string[];
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** The close in China Standard Time (the competition's local time), unambiguous in both languages. */
export const formatClose = (iso: string, lang: 'zh' | 'en') => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return lang === 'zh' ? `${s}（北京时间）` : `${s} (UTC+8)`;
};

const hoursText = (h: number, lang: 'zh' | 'en') => {
  const rounded = h >= 1 ? Math.round(h) : Math.round(h * 60);
  const unit =
    h >= 1
      ? lang === 'zh'
        ? '小时'
        : rounded === 1
          ? 'hour'
          : 'hours'
      : lang === 'zh'
        ? '分钟'
        : rounded === 1
          ? 'minute'
          : 'minutes';
  return lang === 'zh' ? `${rounded} ${unit}` : `${rounded} ${unit}`;
};

export const renderMessage = (m: MessageModel, baseUrl: string): RenderedMessage => {
  const zh = m.language === 'zh';
  const title = zh ? m.competitionTitle.zh : (m.competitionTitle.en ?? m.competitionTitle.zh);
  const round = zh ? m.roundName.zh : (m.roundName.en ?? m.roundName.zh);
  const close = formatClose(m.closesAt, m.language);
  const n = m.reviews ?? m.links.length;
  // Review messages carry one link to the expert's page for the round (older ones, a link per review).
  const home = m.links.some((l) => l.purpose === 'expert-home');
  const base = baseUrl.replace(/\/+$/, '');
  const urls = m.links.filter((l) => l.path).map((l) => `${base}${l.path}`);
  const [subject, intro, outro] = ((): [string, string, string] => {
    switch (m.kind) {
      case 'ASSIGNED':
        return zh
          ? [
              `【${title}】${round}评审邀请（${n} 项）`,
              home
                ? `您好！您受邀参加「${title}」${round}的评审，共 ${n} 项作品。请在 ${close} 前完成评分。下列专属链接打开您本轮的评审主页，列出每项评审及其进度：`
                : `您好！您受邀参加「${title}」${round}的评审，共 ${n} 项作品。请在 ${close} 前通过下列专属链接完成评分：`,
              home
                ? '链接仅供本人使用，请勿转发。如与某项作品存在利益冲突，请在该项评审页面申请回避；如无法参加本轮，可在主页婉拒。'
                : '每个链接只对应一项评审，请勿转发。如与某项作品存在利益冲突，请在评审页面申请回避。',
            ]
          : [
              `[${title}] ${round}: ${n} review${n === 1 ? '' : 's'} for you`,
              home
                ? `You are invited to review ${n} entr${n === 1 ? 'y' : 'ies'} in "${title}" (${round}). Please score ${n === 1 ? 'it' : 'them'} before ${close}. Your personal link opens your page for the round, which lists each review and where it stands:`
                : `You are invited to review ${n} entr${n === 1 ? 'y' : 'ies'} in "${title}" (${round}). Please score ${n === 1 ? 'it' : 'them'} before ${close} through your personal link${n === 1 ? '' : 's'}:`,
              home
                ? 'The link is personal; please do not forward it. If you have a conflict of interest with an entry, declare it on its review page; if you cannot review in this round, decline it on your page.'
                : 'Each link opens exactly one review; please do not forward it. If you have a conflict of interest, declare it on the review page.',
            ];
      case 'ADDED':
        return zh
          ? [
              `【${title}】${round}新增评审任务`,
              `您好！「${title}」${round}为您新增了 ${n} 项评审（替补或复核）。请在 ${close} 前完成${home ? '，新增评审已列在您的评审主页' : ''}：`,
              home ? '链接仅供本人使用，请勿转发。' : '每个链接只对应一项评审，请勿转发。',
            ]
          : [
              `[${title}] ${round}: a review was added for you`,
              `A review was added for you in "${title}" (${round}) — as a backup or a second opinion. Please score it before ${close}${home ? '; it is listed on your page for the round' : ''}:`,
              home
                ? 'The link is personal; please do not forward it.'
                : 'Each link opens exactly one review; please do not forward it.',
            ];
      case 'REMINDER':
        return zh
          ? [
              `【${title}】评审提醒：距截止还有 ${hoursText(m.hoursBefore ?? 0, 'zh')}`,
              `您好！您在「${title}」${round}中还有 ${n} 项评审尚未提交，截止时间为 ${close}：`,
              home ? '您的评审主页列出了每项评审的进度。如已提交，请忽略本提醒。' : '如已提交，请忽略本提醒。',
            ]
          : [
              `[${title}] Reminder: reviews close in ${hoursText(m.hoursBefore ?? 0, 'en')}`,
              `You have ${n} pending review${n === 1 ? '' : 's'} in "${title}" (${round}), closing ${close}:`,
              home
                ? 'Your page lists each review and where it stands. If you have just submitted, please ignore this reminder.'
                : 'If you have just submitted, please ignore this reminder.',
            ];
      case 'SPONSOR_CONFIRMATION':
        return zh
          ? [
              `【${title}】请确认揭榜获奖方案`,
              `您好！贵单位所出需求的评审已结束，组委会拟授奖如下。请在 ${close} 前通过下列链接确认或提出异议：`,
              '逾期未答复的，以组委会决定为准。',
            ]
          : [
              `[${title}] Please confirm the winning solution`,
              `The review of your technology need is complete and the organizer proposes the awards below. Please confirm or object before ${close}:`,
              'Without an answer by then, the organizer’s decision stands.',
            ];
      case 'APPOINTMENT':
        return zh
          ? [
              `【${title}】项目经理聘任通知`,
              `恭喜！您领衔的项目获奖并入选拨投结合支持，拟聘任您为项目经理。请在 ${close} 前通过下列链接接受或婉拒聘任：`,
              '链接仅供本人使用，请勿转发。',
            ]
          : [
              `[${title}] Appointment as project manager`,
              `Congratulations! Your entry won an award selected for grant-then-equity funding, and you are offered the appointment as its project manager. Please accept or decline before ${close}:`,
              'The link is personal; please do not forward it.',
            ];
      case 'PROJECT_WORKSPACE':
        return zh
          ? [
              `【${title}】您的项目工作台`,
              `您好！感谢您接受项目经理聘任。通过下列专属链接进入项目工作台：查看里程碑与拨款、提交里程碑报告、查看验收结果与转股情况（任期内有效，至 ${close}）：`,
              '链接仅供本人使用，请勿转发；链接末段即 API 令牌（Authorization: Bearer）。',
            ]
          : [
              `[${title}] Your project workspace`,
              `Thank you for accepting the appointment as project manager. Your personal link opens the project's workspace: milestones and tranches, milestone reports, the organizer's acceptance and the conversion (valid for your term, until ${close}):`,
              'The link is personal; please do not forward it. Its last part is your API token (Authorization: Bearer).',
            ];
      case 'NEED_SPONSOR_LINK':
        return zh
          ? [
              `【${title}】贵单位的技术需求`,
              `您好！贵单位的技术需求已收入「${title}」。通过下列专属链接可查看需求状态与揭榜方案、阅读方案材料并决定入围（链接有效期至 ${close}）：`,
              '链接仅供贵单位使用，请勿转发；如需新链接，请联系组委会（旧链接随即失效）。',
            ]
          : [
              `[${title}] Your technology need`,
              `Your company's technology need is part of "${title}". Your personal link shows its status and the solutions that answer it, opens their documents and lets you shortlist them (valid until ${close}):`,
              'The link is for your company only; please do not forward it. The organizer can send a new one (the old one then stops working).',
            ];
      case 'ENTRY_SUBMITTED':
        return zh
          ? [
              `【${title}】申报已提交`,
              `您好！您的申报已提交至「${title}」：`,
              `截止 ${close} 前，可凭创建申报时获得的访问令牌修改或撤回申报。令牌不会再次发送，系统也不保存令牌本身，请妥善保管。`,
            ]
          : [
              `[${title}] Entry submitted`,
              `Your entry to "${title}" was submitted:`,
              `Until ${close} you can change or withdraw it with the access token you received when you created it. The token is never sent again and is not stored anywhere: keep it safe.`,
            ];
      case 'SCREENING_RESULT':
        return zh
          ? [`【${title}】形式审查结果`, '您好！您的申报形式审查结果如下：', '如有疑问，请联系组委会。']
          : [
              `[${title}] Eligibility screening result`,
              'The eligibility screening of your entry is complete:',
              'If you have questions, please contact the organizer.',
            ];
      case 'SCREENING_OVERRIDDEN':
        return zh
          ? [
              `【${title}】形式审查结果已更正`,
              '您好！组委会复核了您申报的形式审查结果，更正如下：',
              '如有疑问，请联系组委会。',
            ]
          : [
              `[${title}] Eligibility screening result corrected`,
              'The organizer reviewed the eligibility screening of your entry and corrected its result:',
              'If you have questions, please contact the organizer.',
            ];
      case 'ROUND_RESULT':
        return zh
          ? [`【${title}】${round}结果`, `您好！「${title}」${round}评审已结束，您的申报结果如下：`, '感谢您的参与。']
          : [
              `[${title}] ${round}: result`,
              `The ${round} of "${title}" is complete. The result for your entry:`,
              'Thank you for taking part.',
            ];
      case 'AWARD_WON':
        return zh
          ? [`【${title}】获奖通知`, `恭喜！您的申报在「${title}」中获奖：`, '后续安排将另行通知。']
          : [
              `[${title}] Award`,
              `Congratulations! Your entry won an award in "${title}":`,
              'We will be in touch about what comes next.',
            ];
      case 'ORGANIZER_NOTICE':
        return zh
          ? [`【${title}】需要处理：${m.details?.[0] ?? ''}`, '组委会请注意：', '']
          : [`[${title}] Action needed: ${m.details?.[0] ?? ''}`, 'For the organizer:', ''];
      case 'EXPERT_HOME_LINK':
        return zh
          ? [
              `【${title}】${round}：您的新评审链接`,
              `您好！组委会为您重新发送了「${title}」${round}的评审主页链接（${n} 项评审，截止 ${close}）：`,
              '此前发送的链接已失效。链接仅供本人使用，请勿转发。',
            ]
          : [
              `[${title}] ${round}: your new review link`,
              `The organizer sent you a new link to your page for "${title}" (${round}): ${n} review${n === 1 ? '' : 's'}, closing ${close}:`,
              'Links sent before no longer work. The link is personal; please do not forward it.',
            ];
      case 'WITHDRAWN':
        return zh
          ? [
              `【${title}】评审任务已收回`,
              `您好！由于临近截止，您在「${title}」${round}中尚未提交的 ${n} 项评审已转交候补专家，原链接已失效。`,
              home ? '您的评审主页（下列链接）显示本轮其余评审。感谢您的支持。' : '感谢您的支持。',
            ]
          : [
              `[${title}] A review was reassigned`,
              `As the deadline of "${title}" (${round}) approaches, ${n} review${n === 1 ? '' : 's'} you had not submitted ${n === 1 ? 'was' : 'were'} reassigned to a backup reviewer; the old link no longer works.`,
              home
                ? 'Your page for the round (below) shows your other reviews. Thank you for your support.'
                : 'Thank you for your support.',
            ];
    }
  })();
  const details = m.details ?? [];
  const text = [
    intro,
    ...details.map((d) => `· ${d}`),
    '',
    ...urls.map((u, k) => `${k + 1}. ${u}`),
    ...(urls.length ? [''] : []),
    outro,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body style="font-family:sans-serif;line-height:1.6">`,
    `<p>${escapeHtml(intro)}</p>`,
    details.length ? `<ul>${details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : '',
    urls.length
      ? `<ol>${urls.map((u) => `<li><a href="${escapeHtml(u)}">${escapeHtml(u)}</a></li>`).join('')}</ol>`
      : '',
    `<p>${escapeHtml(outro)}</p>`,
    '</body></html>',
  ].join('');
  // Titles may hold line breaks (multi-line text fields); a subject is one header line.
  return { subject: headerSafe(subject), text, html };
};
