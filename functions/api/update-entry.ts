import { intakeRoundOf } from '../../shared/competition.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { entryRoutes } from '../routes/entries.ts';
import { assertEditable, assertIntakeOpen, assertSubmittable, organizationKey } from '../../shared/entry.ts';
import { canonicalJson } from '../../shared/tokens.ts';
import { requireCompetition } from '../store/competitions.ts';
import { saveEntry } from '../store/entries.ts';
import { loadOwnedEntry, ownerView } from '../services/entry-access.ts';

export const handler = api(entryRoutes.updateEntry, async ({ params, headers, body }) => {
  const record = await loadOwnedEntry(params.entryId, headers);
  assertEditable(record);
  const { title, summary, solution, applicant, documents, keywords, language } = record;
  // Same content again (a retried PUT): nothing to write.
  if (canonicalJson({ title, summary, solution, applicant, documents, keywords, language }) === canonicalJson(body))
    return { body: { entry: ownerView(record) } };

  const competition = await requireCompetition(record.competitionId);
  const at = now();
  assertIntakeOpen(competition, at);
  if (record.status === 'SUBMITTED') assertSubmittable(body, competition, record.trackId);
  const next = {
    ...record,
    title: body.title,
    summary: body.summary,
    solution: body.solution,
    applicant: body.applicant,
    documents: body.documents,
    keywords: body.keywords,
    language: body.language,
    organizationKey: organizationKey(body.applicant),
    version: record.version + 1,
    updatedAt: at.toISOString(),
  };
  const maxActive = competition.entryPolicy.maxActiveEntriesPerOrganizationPerTrack;
  await saveEntry(record, next, maxActive, 'applicant', intakeRoundOf(competition).roundId);
  return { body: { entry: ownerView(next) } };
});
