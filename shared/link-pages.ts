import type { LinkPurpose } from './links.ts';
import { layout, type Lang } from './review/page.ts';
import { escapeHtml as h } from './text.ts';

/** Why a signed link does not open (see `links.ts`). */
export type LinkFailureCode = 'INVALID_LINK' | 'LINK_EXPIRED' | 'LINK_REVOKED';

type Texts = Record<LinkFailureCode, { zh: string; en: string }>;

const INVALID = {
  zh: '链接无效。请使用邮件中的完整链接。',
  en: 'This link is not valid. Please use the complete link from your e-mail.',
};

const REVIEW: Texts = {
  INVALID_LINK: INVALID,
  LINK_EXPIRED: { zh: '链接已过期：评审已截止。', en: 'This link has expired: the review window has closed.' },
  LINK_REVOKED: {
    zh: '此链接已失效（评审已撤回或改派）。',
    en: 'This link is no longer valid (the review was withdrawn or reassigned).',
  },
};

const EXPERT_HOME: Texts = {
  INVALID_LINK: INVALID,
  LINK_EXPIRED: { zh: '链接已过期：本轮评审已截止。', en: 'This link has expired: the review round has closed.' },
  LINK_REVOKED: {
    zh: '此链接已失效：组委会已发送新链接，请使用最新邮件中的链接。',
    en: 'This link is no longer valid: the organizer sent a new one. Please use the link in the latest e-mail.',
  },
};

const AWARD: Texts = {
  INVALID_LINK: INVALID,
  LINK_EXPIRED: {
    zh: '链接已过期。如需帮助，请联系组委会。',
    en: 'This link has expired. Please contact the organizer.',
  },
  LINK_REVOKED: { zh: '此链接已失效。', en: 'This link is no longer valid.' },
};

const PAGES: Record<LinkPurpose, { title: { zh: string; en: string }; texts: Texts }> = {
  review: { title: { zh: '评审链接', en: 'Review link' }, texts: REVIEW },
  'expert-home': { title: { zh: '我的评审', en: 'My reviews' }, texts: EXPERT_HOME },
  'sponsor-confirmation': { title: { zh: '链接', en: 'Link' }, texts: AWARD },
  appointment: { title: { zh: '链接', en: 'Link' }, texts: AWARD },
  'project-manager': { title: { zh: '项目工作台', en: 'Project workspace' }, texts: AWARD },
  'need-sponsor': { title: { zh: '企业需求', en: 'Your technology need' }, texts: AWARD },
};

/** The page a signed link shows when it does not open, in the reader's language. */
export const renderLinkError = (purpose: LinkPurpose, code: LinkFailureCode, lang: Lang): string => {
  const { title, texts } = PAGES[purpose];
  return layout(lang, title[lang], `<h1>${h(title[lang])}</h1><p class="err" role="alert">${h(texts[code][lang])}</p>`);
};
