import { readFileSync } from 'node:fs';

/** The name and version every report carries, read once from this package's package.json. */
export const tool: { readonly name: 'leakfinder'; readonly version: string } = {
  name: 'leakfinder',
  version: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version,
};
