import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamicImports, initialLoad, staticImports, workerBundles } from './bundle-size.ts';

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

  it('finds dynamic imports with any quote, as minified worker code writes them', () => {
    expect(dynamicImports('a=await import(`./ext-1.js`);b=import("./x-2.js");c=import(\'../y.js\');import"./static.js";import(name)')).toEqual(['./ext-1.js', './x-2.js', '../y.js']);
  });

  it('sizes each worker and finds a provider SDK in any chunk it can load, however deep', () => {
    const dist = mkdtempSync(join(tmpdir(), 'spotter-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets/critic.worker-Ab_c1.js'), `import{h}from"./helper-1.js";const f=()=>import(\`./ext-2.js\`);${'w'.repeat(3000)}`);
    writeFileSync(join(dist, 'assets/helper-1.js'), 'export const h=()=>import("./sdk-3.js");');
    writeFileSync(join(dist, 'assets/ext-2.js'), 'export{}');
    writeFileSync(join(dist, 'assets/sdk-3.js'), 'const u=readEnv("OPENAI_BASE_URL");');
    writeFileSync(join(dist, 'assets/pack.worker-Zz9.js'), 'self.onmessage=()=>{}');
    writeFileSync(join(dist, 'assets/index-4.js'), 'readEnv("ANTHROPIC_BASE_URL")');
    const [critic, pack, ...rest] = workerBundles(dist);
    expect(rest).toEqual([]);
    expect(critic).toMatchObject({ name: 'critic.worker', file: 'assets/critic.worker-Ab_c1.js', providerSdks: ['openai'] });
    expect(Object.keys(critic?.lazyChunks ?? {}).sort()).toEqual(['assets/ext-2.js', 'assets/helper-1.js', 'assets/sdk-3.js']);
    expect(critic?.raw).toBeGreaterThan(3000);
    expect(critic?.gzip).toBeLessThan(critic?.raw ?? 0);
    expect(pack).toMatchObject({ name: 'pack.worker', providerSdks: [], lazyChunks: {} });
  });
});
