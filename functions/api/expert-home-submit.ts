import { type FieldIssue, isAppError } from '../../shared/errors.ts';
import { expertHomeFormIssues, renderExpertHome } from '../../shared/review/expert-home.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { declineRound, expertHomeModel } from '../services/expert-home.ts';
import { expertHomeLinks, linkFailurePage, openLink, requestedLanguage } from '../services/signed-links.ts';
import { setHomeLanguage } from '../store/expert-homes.ts';

/**
 * POST sets the language or declines the round and answers 303 to the page (post/redirect/get);
 * a form that fails its checks re-renders the page with the errors and changes nothing.
 */
export const handler = api(reviewRoutes.postExpertHome, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(expertHomeLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const page = async (status: number, errors: FieldIssue[]) => ({
    status,
    html: renderExpertHome(await expertHomeModel(link, event.rawPath, { errors, reason: body.reason })),
  });
  const issues = expertHomeFormIssues(body);
  if (issues.length) return page(422, issues);
  const back = (saved: string, lang: string) => ({
    status: 303,
    html: '',
    headers: { location: `${event.rawPath}?saved=${saved}&lang=${lang}` },
  });
  if (body.action === 'language') {
    await setHomeLanguage(link.home.homeId, body.lang!);
    return back('language', body.lang!);
  }
  if (link.frozen)
    return page(409, [
      { path: 'round', message: 'this round has been tallied: its reviews are final', code: 'ROUND_FROZEN' },
    ]);
  if (!link.open) return page(409, [{ path: 'round', message: 'the review window is closed', code: 'closed' }]);
  try {
    await declineRound(link, body.reason!.trim(), at);
  } catch (e) {
    if (isAppError(e) && e.status === 409) return page(409, [{ path: 'round', message: e.message, code: e.code }]);
    throw e;
  }
  return back('declined', link.lang);
});
