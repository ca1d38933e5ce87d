import { validationError } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { decideAnswer } from '../services/matching.ts';
import { linkFailurePage, needSponsorLinks, openLink, requestedLanguage } from '../services/signed-links.ts';

/** 入围 from the sponsor's page: the same decision as the API's, then back to the page. */
export const handler = api(needSponsorRoutes.postNeedSponsorDecision, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(needSponsorLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const reason = body.reason?.trim();
  if (body.action === 'decline' && !reason)
    throw validationError('Please give the reason', [
      { path: 'reason', message: 'required when declining', code: 'required' },
    ]);
  const action = body.action === 'shortlist' ? ('SHORTLIST' as const) : ('DECLINE' as const);
  await decideAnswer(link.need.needId, body.entryId, { action, ...(reason ? { reason } : {}) }, at);
  return { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${link.lang}&saved=1` } };
});
