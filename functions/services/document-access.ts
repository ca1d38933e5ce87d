import type { Competition } from '../../shared/competition.ts';
import { assertIntakeOpen } from '../../shared/entry.ts';
import type { EntryDocument } from '../../shared/documents.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getDocument, listDocuments } from '../store/documents.ts';
import type { EntryRecord } from '../store/entries.ts';

/** What an applicant (and later a reviewer) sees of a document: never the storage key. */
export const documentView = (d: EntryDocument) => {
  const { key: _k, version: _v, competitionId: _c, ...view } = d;
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
  (await listDocuments(entryId)).filter((d) => d.status === 'CLEAN' && !d.replacedBy && d.blind === blind);
