import { createDocumentBody } from '../../shared/documents.ts';
import * as z from 'zod';
import { documentParams, entryParams, page, type RouteSpec } from './spec.ts';

/** An applicant's documents (routes of the route table; their own group keeps the other bundles small). */
export const documentRoutes = {
  createDocument: {
    method: 'POST',
    path: '/entries/{entryId}/documents',
    entry: 'functions/api/create-document.ts',
    idempotent: true,
    auth: 'applicant',
    okStatus: 201,
    table: 'readWrite',
    partitions: ['competition', 'entry'],
    documents: 'upload',
    summary:
      'Ask to upload a document: answers the document (AWAITING_UPLOAD) and an S3 presigned POST (url, fields) that takes exactly this file — its key, its content type, at most its type’s size limit — until expiresAt',
    params: entryParams,
    body: createDocumentBody,
  },
  listDocuments: {
    method: 'GET',
    path: '/entries/{entryId}/documents',
    entry: 'functions/api/list-documents.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'read',
    partitions: ['entry'],
    summary:
      'The entry’s documents with status (AWAITING_UPLOAD, SCANNING, CLEAN, INFECTED, REJECTED, DELETED), size, SHA-256 and times',
    params: entryParams,
  },
  deleteDocument: {
    method: 'DELETE',
    path: '/entries/{entryId}/documents/{documentId}',
    entry: 'functions/api/delete-document.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'entry'],
    summary: 'Remove a document before the deadline (its item and stored versions stay for the record)',
    params: documentParams,
  },
  downloadDocument: {
    method: 'GET',
    path: '/entries/{entryId}/documents/{documentId}/download',
    entry: 'functions/api/download-document.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'read',
    partitions: ['entry'],
    documents: 'read',
    summary: 'Download the applicant’s own clean document: 303 to a presigned GET valid for five minutes',
    params: documentParams,
  },
  adminListDocuments: {
    method: 'GET',
    path: '/admin/entries/{entryId}/documents',
    entry: 'functions/api/admin-list-documents.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['entry'],
    summary:
      'An entry’s documents in every state, and who opened which document when (reviewers and sponsors through their links), the openings a page at a time (at most 100, oldest first)',
    params: entryParams,
    query: z.strictObject(page),
  },
} as const satisfies Record<string, RouteSpec>;
