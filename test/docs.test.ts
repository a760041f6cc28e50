/**
 * docs/runtimes.md's "API" section is the index of the public surface (issue 7): every export of
 * every entry point must be named there (in backticks), so a new export cannot go undocumented,
 * and every entry of package.json's `exports` has a heading.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import * as backends from '../src/backends/entry.js';
import * as node from '../src/node.js';
import * as webgpu from '../src/webgpu.js';
import * as inline from '../src/inline.js';

const doc = readFileSync(new URL('../docs/runtimes.md', import.meta.url), 'utf8');
const api = doc.slice(doc.indexOf('\n## API'));
const ENTRIES: Record<string, object> = { axonjs: core, 'axonjs/backends': backends, 'axonjs/node': node, 'axonjs/webgpu': webgpu, 'axonjs/inline': inline };

/** The API section of one entry: from its `### \`name\`` heading to the next heading. */
function section(entry: string): string {
  const start = api.indexOf(`### \`${entry}\``);
  if (start < 0) return '';
  const next = api.indexOf('\n### ', start + 1);
  return api.slice(start, next < 0 ? undefined : next);
}

/** The code spans of a piece of markdown. */
const codeSpans = (md: string) => [...md.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/runtimes.md API index', () => {
  it('has a section for every JavaScript entry of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    const js = Object.keys(pkg.exports).filter((k) => !k.includes('*') && k !== './package.json').map((k) => (k === '.' ? 'axonjs' : `axonjs/${k.slice(2)}`));
    expect(js.filter((e) => section(e) === '')).toEqual([]);
  });

  for (const [entry, mod] of Object.entries(ENTRIES)) {
    it(`names every export of ${entry}`, () => {
      // the inline entry documents only what it adds to the core
      const own = entry === 'axonjs/inline' ? Object.keys(mod).filter((k) => !(k in core) || k === 'init') : Object.keys(mod);
      const spans = codeSpans(entry === 'axonjs' ? section(entry) : section(entry) + section('axonjs'));
      const named = (k: string) => spans.some((s) => new RegExp(`(^|[^\\w$])${k.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(s));
      expect(own.filter((k) => !named(k)), `exports of ${entry} missing from docs/runtimes.md "API"`).toEqual([]);
    });
  }
});
