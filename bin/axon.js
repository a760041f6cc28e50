#!/usr/bin/env node
// The `axon` command. In a source checkout (src/cli/main.ts present) it runs the TypeScript
// directly through tsx (a devDependency), so `npm run demo` needs no build step; in the
// published package (no src/) it runs the bundle dist/cli.js. Exit codes: 0 ok, 2 user mistake,
// 1 internal error.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/cli.js', import.meta.url);

async function loadMain() {
  if (existsSync(source)) {
    let register;
    try {
      ({ register } = await import('tsx/esm/api'));
    } catch {
      register = undefined;
    }
    if (register) {
      register();
      return (await import(source.href)).main;
    }
    if (!existsSync(bundle)) {
      process.stderr.write("axon: error: running from a source checkout needs the dev dependencies ('npm install') or a build ('npm run build')\n");
      process.exit(2);
    }
  }
  return (await import(bundle.href)).main;
}

// `axon predict … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const main = await loadMain();
const code = await main(process.argv.slice(2));
// Flush stdout before exiting: worker threads or open handles must not keep the process alive.
process.stdout.write('', () => process.exit(code));
