import { createEntryBody, entryContent } from '../../shared/entry.ts';
import { SUBMISSIONS } from '../function-spec.ts';
import { competitionParams, entryParams, type RouteSpec } from './spec.ts';

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const entryRoutes = {
  createEntry: {
    method: 'POST',
    path: '/competitions/{competitionId}/entries',
    entry: 'functions/api/create-entry.ts',
    idempotent: true,
    derivesEntryTokens: true,
    auth: 'public',
    okStatus: 201,
    table: 'readWrite',
    summary:
      'Create an entry (draft, or submitted with submit=true); honours Idempotency-Key; returns the entry id and the applicant access token',
    params: competitionParams,
    body: createEntryBody,
  },
  getEntry: {
    method: 'GET',
    path: '/entries/{entryId}',
    entry: 'functions/api/get-entry.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'read',
    summary: "The applicant's own entry, with its status and screening result",
    params: entryParams,
  },
  updateEntry: {
    method: 'PUT',
    path: '/entries/{entryId}',
    entry: 'functions/api/update-entry.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    summary: 'Replace the content of a draft or submitted entry before the deadline',
    params: entryParams,
    body: entryContent,
  },
  submitEntry: {
    method: 'POST',
    path: '/entries/{entryId}/submit',
    entry: 'functions/api/submit-entry.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    summary: 'Submit a draft before the deadline (idempotent)',
    params: entryParams,
  },
  withdrawEntry: {
    method: 'POST',
    path: '/entries/{entryId}/withdraw',
    entry: 'functions/api/withdraw-entry.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    deletes: [SUBMISSIONS],
    summary: 'Withdraw an entry (idempotent); frees the organization’s slot in the track',
    params: entryParams,
  },
} as const satisfies Record<string, RouteSpec>;
