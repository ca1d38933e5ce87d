import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './function.ts';
import { openApiText } from './openapi.ts';

writeFileSync(path.join(REPO_ROOT, 'openapi.json'), openApiText());
console.log('wrote openapi.json');
