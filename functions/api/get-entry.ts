import { api } from '../lib/http.ts';
import { entryRoutes } from '../routes/entries.ts';
import { loadOwnedEntry, ownerView } from '../lib/entry-access.ts';

export const handler = api(entryRoutes.getEntry, async ({ params, headers }) => ({
  body: { entry: ownerView(await loadOwnedEntry(params.entryId, headers)) },
}));
