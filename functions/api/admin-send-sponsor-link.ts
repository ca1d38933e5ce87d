import { now } from '../runtime/clock.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { sendSponsorLink } from '../services/matching.ts';

/** The organizer mails the need's sponsor a new signed link (older ones stop working). */
export const handler = idempotentApi(needSponsorRoutes.adminSendSponsorLink, async ({ params, principal }) => {
  const need = await sendSponsorLink(params.needId, principal, now());
  return { status: 202, body: { needId: need.needId, linkVersion: need.linkVersion, sentTo: need.contact.email } };
});
