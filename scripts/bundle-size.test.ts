import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialLoad, staticImports } from './bundle-size.ts';

describe('initial load of a build', () => {
  it('tells static imports from dynamic ones, minified or not', () => {
    const code = 'import{a as b}from"./svelte-1.js";import"./side.js";export{c}from"./re.js";const m=()=>import("./lazy.js");import x from \'../up.js\'';
    expect(staticImports(code)).toEqual(['./svelte-1.js', './side.js', './re.js', '../up.js']);
  });

  it('sums the entry and its static imports, transitively, and leaves lazy chunks out', () => {
    const dist = mkdtempSync(join(tmpdir(), 'spotter-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<script type="module" crossorigin src="./assets/index-1.js"></script>');
    writeFileSync(join(dist, 'assets/index-1.js'), `import{x}from"./shared-2.js";const t=()=>import("./tab-3.js");${'a'.repeat(5000)}`);
    writeFileSync(join(dist, 'assets/shared-2.js'), 'import"./deep-4.js";export const x=1;');
    writeFileSync(join(dist, 'assets/deep-4.js'), 'export{}');
    writeFileSync(join(dist, 'assets/tab-3.js'), 'b'.repeat(100000));
    const r = initialLoad(dist);
    expect(r.entry).toBe('assets/index-1.js');
    expect(Object.keys(r.chunks).sort()).toEqual(['assets/deep-4.js', 'assets/index-1.js', 'assets/shared-2.js']);
    expect(r.totalGzip).toBe(Object.values(r.chunks).reduce((a, b) => a + b, 0));
    expect(r.entryGzip).toBeGreaterThan(0);
  });
});
