import { renderNeedSponsorPage } from '../../shared/needs-page.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { answersPage } from '../services/matching.ts';
import { listAnswerMeetings } from '../store/matching.ts';
import { ulid } from 'ulid';
import { linkFailurePage, needSponsorLinks, openLink } from '../services/signed-links.ts';

/** GET shows the need, its answers and their documents, and changes nothing. */
export const handler = api(needSponsorRoutes.getNeedSponsorPage, async ({ params, query, event }) => {
  const link = await openLink(needSponsorLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  const { need, competition } = link;
  const action = event.rawPath;
  const page = await answersPage(need.needId, 25, query.cursor);
  // A shortlisted answer shows its meetings and a form to propose another (对接).
  const meetings = new Map(
    await Promise.all(
      page.items
        .filter(({ answer }) => answer.status === 'SHORTLISTED')
        .map(async ({ answer }) => [answer.entryId, await listAnswerMeetings(need.needId, answer.entryId)] as const),
    ),
  );
  return {
    html: renderNeedSponsorPage({
      lang: link.lang,
      action,
      competitionTitle: competition.title,
      need: {
        title: need.title,
        status: need.status,
        answerDeadline: need.answerDeadline,
        ...(need.lastDecision?.reason ? { lastReason: need.lastDecision.reason } : {}),
      },
      answers: page.items.map(({ answer, entry, documents }) => ({
        entryId: answer.entryId,
        title: entry?.title ?? answer.entryId,
        summary: entry?.summary ?? '',
        organizationName: entry?.applicant.organizationName ?? '',
        region: entry?.applicant.region ?? '',
        status: answer.status,
        ...(answer.history.at(-1)?.reason ? { reason: answer.history.at(-1)!.reason } : {}),
        ...(meetings.has(answer.entryId)
          ? {
              meetings: meetings
                .get(answer.entryId)!
                .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
                .map((x) => ({ meetingId: x.meetingId, startsAt: x.startsAt, format: x.format, status: x.status })),
              meetingFormId: ulid(),
            }
          : {}),
        files: documents.map((d) => ({
          type: d.type,
          name: d.fileName,
          size: d.actualSize ?? d.size,
          ...(d.pages ? { pages: d.pages } : {}),
          href: `${action}/documents/${answer.entryId}/${d.documentId}`,
        })),
      })),
      ...(page.cursor ? { nextCursor: page.cursor } : {}),
      ...(query.saved ? { saved: query.saved } : {}),
    }),
  };
});
