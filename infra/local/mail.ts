import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../../shared/text.ts';

/**
 * A local stand-in for SES v2's SendEmail (REST: POST /v2/email/outbound-emails),
 * so the delivery function runs unchanged through AWS_ENDPOINT_URL_SESV2. Mail
 * is kept in memory and, with a data directory, appended to .local/mail.jsonl;
 * `page()` renders the mailbox as HTML (served at /mail) with clickable links.
 */
export interface LocalMailMessage {
  messageId: string;
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
}

/** Messages on one page of the local /mail page (after two competitions it held 8 MB as one page). */
export const MAIL_PAGE_SIZE = 50;

export class MailRequestError extends Error {
  override name = 'MailRequestError';
}

export class LocalMail {
  private readonly messages: LocalMailMessage[] = [];

  constructor(
    private readonly file?: string,
    private readonly onMail?: (m: LocalMailMessage) => void,
  ) {
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n'))
        if (line.trim()) this.messages.push(JSON.parse(line) as LocalMailMessage);
    }
  }

  send(body: Record<string, unknown>): { MessageId: string } {
    const from = body.FromEmailAddress;
    const to = (body.Destination as { ToAddresses?: unknown } | undefined)?.ToAddresses;
    const simple = (
      body.Content as
        | { Simple?: { Subject?: { Data?: unknown }; Body?: { Text?: { Data?: unknown }; Html?: { Data?: unknown } } } }
        | undefined
    )?.Simple;
    if (typeof from !== 'string' || !from.includes('@')) throw new MailRequestError('FromEmailAddress is required');
    if (!Array.isArray(to) || !to.length || !to.every((x) => typeof x === 'string' && x.includes('@')))
      throw new MailRequestError('Destination.ToAddresses is required');
    if (typeof simple?.Subject?.Data !== 'string' || typeof simple.Body?.Text?.Data !== 'string')
      throw new MailRequestError('Content.Simple with a subject and a text body is required');
    const m: LocalMailMessage = {
      messageId: `local-${randomUUID()}`,
      at: new Date().toISOString(),
      from,
      to: to as string[],
      subject: simple.Subject.Data,
      text: simple.Body.Text.Data,
      html: typeof simple.Body.Html?.Data === 'string' ? simple.Body.Html.Data : undefined,
    };
    this.messages.push(m);
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, `${JSON.stringify(m)}\n`, { mode: 0o600 });
    }
    this.onMail?.(m);
    return { MessageId: m.messageId };
  }

  list(): LocalMailMessage[] {
    return [...this.messages];
  }

  /** One page of the mailbox, newest first, MAIL_PAGE_SIZE messages a page (`page` from 1). */
  page(page = 1): string {
    const linkify = (s: string) => escapeHtml(s).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);
    const pages = Math.max(1, Math.ceil(this.messages.length / MAIL_PAGE_SIZE));
    const current = Number.isInteger(page) ? Math.min(Math.max(page, 1), pages) : 1;
    const newestFirst = this.messages.length - (current - 1) * MAIL_PAGE_SIZE;
    const nav =
      pages > 1
        ? `<nav>${current > 1 ? `<a rel="prev" href="/mail?page=${current - 1}">← newer 较新</a> ` : ''}page ${current} / ${pages}${current < pages ? ` <a rel="next" href="/mail?page=${current + 1}">older 较早 →</a>` : ''}</nav>`
        : '';
    const items = this.messages
      .slice(Math.max(0, newestFirst - MAIL_PAGE_SIZE), newestFirst)
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p class="meta">${escapeHtml(m.at)} · ${escapeHtml(m.from)} → ${escapeHtml(m.to.join(', '))}</p><pre>${linkify(m.text)}</pre></article>`,
      )
      .join('\n');
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Local outbox · 本地发件箱</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:.5rem 0}.meta{color:#555;font-size:.9rem}pre{white-space:pre-wrap;font-family:inherit}</style></head>
<body><h1>Local outbox · 本地发件箱 (${this.messages.length})</h1><p>What SES would have sent, newest first. 以下为本地模拟 SES 发出的邮件，最新在前。</p>${nav}${items || '<p>No mail yet. 暂无邮件。</p>'}${nav}</body></html>`;
  }
}
