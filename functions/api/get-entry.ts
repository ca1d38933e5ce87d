import { api } from '../lib/http.ts';
import { routes } from '../routes.ts';
import { loadOwnedEntry, ownerView } from '../lib/entry-access.ts';

export const handler = api(routes.getEntry, async ({ params, headers }) => ({
  body: { entry: ownerView(await loadOwnedEntry(params.entryId, headers)) },
}));
