import { awardRoutes } from './routes/awards.ts';
import { documentRoutes } from './routes/documents.ts';
import { entryRoutes } from './routes/entries.ts';
import { expertRoutes } from './routes/experts.ts';
import { exportRoutes } from './routes/exports.ts';
import { importRoutes } from './routes/imports.ts';
import { matchingRoutes } from './routes/matching.ts';
import { needSponsorRoutes } from './routes/need-sponsor.ts';
import { needRoutes } from './routes/needs.ts';
import { organizerRoutes } from './routes/organizer.ts';
import { projectManagerRoutes } from './routes/projects.ts';
import { publicRoutes } from './routes/public.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { roundRoutes } from './routes/rounds.ts';
import type { RouteSpec } from './routes/spec.ts';

export { MAX_BODY_BYTES, type Auth, type RouteSpec } from './routes/spec.ts';

/**
 * The one route table. The CDK stack builds the HttpApi from it, the local HTTP
 * server serves it (read back from the synthesized template), the OpenAPI
 * document is generated from it, and each handler takes its request schemas
 * from its own row (in the group module under routes/, to keep bundles small).
 */
export const routes = {
  ...publicRoutes,
  ...entryRoutes,
  ...documentRoutes,
  ...organizerRoutes,
  ...roundRoutes,
  ...expertRoutes,
  ...importRoutes,
  ...exportRoutes,
  ...reviewRoutes,
  ...awardRoutes,
  ...projectManagerRoutes,
  ...needRoutes,
  ...matchingRoutes,
  ...needSponsorRoutes,
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const routeList = (): Array<RouteSpec & { id: RouteId }> =>
  (Object.entries(routes) as Array<[RouteId, RouteSpec]>).map(([id, r]) => ({ id, ...r }));
