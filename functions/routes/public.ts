import * as z from 'zod';
import { competitionParams, page, type RouteSpec } from './spec.ts';

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const publicRoutes = {
  getOpenApi: {
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/get-openapi.ts',
    auth: 'public',
    okStatus: 200,
    table: 'read',
    partitions: [],
    summary: 'This API as an OpenAPI 3.1 document',
  },
  listCompetitions: {
    method: 'GET',
    path: '/competitions',
    entry: 'functions/api/list-competitions.ts',
    auth: 'public',
    okStatus: 200,
    table: 'read',
    partitions: [],
    indexes: ['list'],
    summary: 'Published competitions, newest first',
    query: z.strictObject(page),
  },
  getCompetition: {
    method: 'GET',
    path: '/competitions/{competitionId}',
    entry: 'functions/api/get-competition.ts',
    auth: 'public',
    okStatus: 200,
    table: 'read',
    partitions: ['competition'],
    summary: 'One published competition: tracks, rounds, rubric, eligibility rules',
    params: competitionParams,
  },
} as const satisfies Record<string, RouteSpec>;
