import type { Competition } from '../../shared/competition.ts';
import { assertIntakeOpen } from '../../shared/entry.ts';
import type { EntryDocument } from '../../shared/documents.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getDocument, listDocuments } from '../store/documents.ts';
import type { EntryRecord } from '../store/entries.ts';

/** What an applicant (and later a reviewer) sees of a document: never the storage key. */
export const documentView = (d: EntryDocument) => {
  const { key: _k, version: _v, competitionId: _c, pendingScan: _p, ...view } = d;
  return view;
};

/** The entry's competition, while its documents may still change (the intake round is open). */
export const requireChangeableDocuments = async (entry: EntryRecord, at: Date): Promise<Competition> => {
  const competition = await requireCompetition(entry.competitionId);
  if (entry.status !== 'DRAFT' && entry.status !== 'SUBMITTED')
    throw new AppError(409, 'ENTRY_NOT_EDITABLE', `The entry is ${entry.status}; its documents can no longer change`);
  assertIntakeOpen(competition, at);
  return competition;
};

export const requireDocument = async (entryId: string, documentId: string) => {
  const d = await getDocument(entryId, documentId);
  if (!d) throw notFound('Document');
  return d;
};

/**
 * What a reviewer (or a sponsor) may open: the documents scanned clean and not replaced; in a blind
 * round only the anonymized copies (`blind: true`), elsewhere only the originals.
 */
export const readableDocuments = async (entryId: string, blind: boolean) =>
  (await listDocuments(entryId)).filter(
    (d) => d.status === 'CLEAN' && !d.replacedBy && d.blind === blind && !d.milestoneId,
  );

/**
 * A challenge sponsor confirming its winners (揭榜挂帅) reads the solutions' originals, like a
 * reviewer of an open round: clean and current documents of exactly the winners its link names.
 */
export const winnersDocuments = async (entryIds: string[]) =>
  new Map(await Promise.all(entryIds.map(async (id) => [id, await readableDocuments(id, false)] as const)));

/**
 * Before a blind round: the entries that have a clean original of a document type the competition
 * wants anonymized (`documents.blindCopies`) but no clean anonymized copy of it — reviewers of a blind
 * round would see nothing of that type. Organizers get the list from the assignment preview and the
 * round start.
 */
export const missingBlindCopies = async (competition: Competition, entryIds: string[]) => {
  const wanted = new Set<string>(competition.documents.blindCopies);
  const out: Array<{ entryId: string; types: string[] }> = [];
  for (let i = 0; i < entryIds.length; i += 25) {
    const batch = entryIds.slice(i, i + 25);
    const lists = await Promise.all(batch.map((id) => listDocuments(id)));
    lists.forEach((docs, k) => {
      const current = docs.filter((d) => d.status === 'CLEAN' && !d.replacedBy && !d.milestoneId);
      const blind = new Set(current.filter((d) => d.blind).map((d) => d.type));
      const originals = current.filter((d) => !d.blind && wanted.has(d.type) && !blind.has(d.type));
      const types = [...new Set(originals.map((d) => d.type))];
      if (types.length) out.push({ entryId: batch[k]!, types });
    });
  }
  return out;
};
