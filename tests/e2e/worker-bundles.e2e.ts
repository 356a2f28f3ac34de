/**
 * The production build's Web Workers carry only what they run: no worker can
 * load a provider SDK (openai, @anthropic-ai/sdk), which only the main
 * thread's actor clients use. Reads dist/, which `npm run test:e2e` builds first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerSdksIn, workerBundles } from '../../scripts/bundle-size.ts';

describe('worker bundles in dist/', () => {
  it('the markers find each provider SDK in the build, where the actor clients load it', () => {
    const sdks = new Set(readdirSync('dist/assets').filter((f) => f.endsWith('.js')).flatMap((f) => providerSdksIn(readFileSync(join('dist/assets', f), 'utf8'))));
    expect([...sdks].sort()).toEqual(['@anthropic-ai/sdk', 'openai']);
  });

  it('no worker can load a provider SDK, the transformers.js critic worker included', () => {
    const workers = workerBundles('dist');
    expect(workers.map((w) => w.name)).toEqual(['exam.worker', 'tau2.worker', 'transformers.worker', 'userbench.worker', 'webllm.worker']);
    for (const w of workers) expect({ worker: w.name, providerSdks: w.providerSdks }).toEqual({ worker: w.name, providerSdks: [] });
  });
});
