/**
 * `npm run build`, after tsc: copies the files the compiled code reads at run time
 * (SQL migrations, the demo's ops.yml, the playground's static files) next to the
 * .js files in the output folder, so dist/ runs without src/. ops.example.yml stays
 * at the package root, where dist/src/main.js looks for it.
 *
 *   node dist/src/cli/copy-assets.js [outDir]   (default: the dist/ this file was compiled into)
 */
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ASSETS = ['src/store/migrations', 'src/sandbox/demo.ops.yml', 'src/sandbox/playground/static'];

export function copyAssets(root: string, outDir: string): string[] {
  return ASSETS.map((asset) => {
    const from = join(root, asset);
    if (!existsSync(from)) throw new Error(`copy-assets: ${from} is missing`);
    cpSync(from, join(outDir, asset), { recursive: true });
    return asset;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? fileURLToPath(new URL('../../', import.meta.url)));
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  // Compiled into <root>/<outDir>/src/cli/: the package root is three levels up.
  copyAssets(existsSync(join(root, 'package.json')) ? root : process.cwd(), outDir);
}
