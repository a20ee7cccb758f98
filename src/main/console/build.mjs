// Bundles the console into one ES module and copies the static files beside it.
// Usage: node build.mjs [output directory]   (the Maven build passes target/classes/META-INF/resources/console)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'dist';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main.jsx'],
  outfile: join(out, 'console.js'),
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const file of readdirSync('static')) {
  copyFileSync(join('static', file), join(out, file));
}
console.log(`console built into ${out}`);
