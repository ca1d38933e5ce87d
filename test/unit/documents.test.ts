import { describe, expect, it } from 'vitest';
import {
  assertDocumentHistoryRoom,
  DOCUMENT_TYPES,
  documentRules,
  MAX_DOCUMENT_RECORDS,
} from '../../shared/documents.ts';

describe('document rules', () => {
  it('bounds the upload requests of one entry, so every list of its documents stays bounded', () => {
    expect(() => assertDocumentHistoryRoom(MAX_DOCUMENT_RECORDS - 1)).not.toThrow();
    expect(() => assertDocumentHistoryRoom(MAX_DOCUMENT_RECORDS)).toThrow(
      expect.objectContaining({ status: 409, code: 'DOCUMENT_HISTORY_FULL' }) as unknown as Error,
    );
  });

  it('asks blind rounds for anonymized copies of every type unless the competition narrows it', () => {
    expect(documentRules.parse({}).blindCopies).toEqual([...DOCUMENT_TYPES]);
    expect(documentRules.parse({ blindCopies: ['BUSINESS_PLAN'] }).blindCopies).toEqual(['BUSINESS_PLAN']);
    expect(documentRules.safeParse({ blindCopies: ['BUSINESS_PLAN', 'BUSINESS_PLAN'] }).success).toBe(false);
    expect(documentRules.safeParse({ blindCopies: ['POSTER'] }).success).toBe(false);
  });
});
