import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILT_CSS = path.join(root, 'public/build/concord.css');
const SOURCE = path.join(root, 'src/platform/assets/concord.scss');

/** Compiles the stylesheet when it is missing or older than its source. Quick when nothing changed. */
export function buildAssets(force = false): void {
  const upToDate = fs.existsSync(BUILT_CSS) && fs.statSync(BUILT_CSS).mtimeMs >= fs.statSync(SOURCE).mtimeMs;
  if (upToDate && !force) return;
  const result = sass.compile(SOURCE, {
    loadPaths: [root, path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'slash-div'],
  });
  fs.mkdirSync(path.dirname(BUILT_CSS), { recursive: true });
  fs.writeFileSync(BUILT_CSS, result.css);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAssets(true);
  console.log(`Built ${path.relative(root, BUILT_CSS)}`);
}
