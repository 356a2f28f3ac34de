import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderServerDouble, type RecordedRequest, type ScriptedReply } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, offHostRequests, useE2E } from './harness.ts';

const provider = new ProviderServerDouble();
const { app, openPage } = useE2E({ provider });

const systemOf = (r: RecordedRequest) => JSON.stringify((r.body.messages as unknown[] | undefined)?.[0] ?? '');

describe('a tau-bench task in the chat tab, with the simulated user', () => {
  it('runs the ported retail env in the browser: real tool observations, the simulator prompt, the reward', async () => {
    // One model plays both the customer (its system prompt is the simulator's) and the agent (the retail policy).
    let userTurns = 0;
    let agentTurns = 0;
    provider.respond('model', (r): ScriptedReply => {
      if (systemOf(r).includes('You are a user interacting with an agent')) {
        return userTurns++ === 0 ? { kind: 'message', content: 'Hi, I am Yusuf Rossi, zip 19122. I need help with an order.' } : { kind: 'message', content: 'Thanks, bye! ###STOP###' };
      }
      return agentTurns++ === 0
        ? { kind: 'tool_call', name: 'find_user_id_by_name_zip', arguments: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' } }
        : { kind: 'message', content: 'I found your account, yusuf_rossi_9620. How can I help?' };
    });
    provider.respond('critic', () => ({ kind: 'message', content: '{"decision":"approve"}' }));

    const { context, page, requests, errors } = await openPage();
    await page.goto(app.url);
    await configureProvider(page, provider, { actor: 'model', key: 'k', critic: 'critic' });
    await page.selectOption('select[name=env-kind]', 'tau-bench');
    await page.selectOption('select[name=tau-seat]', 'simulated');
    await page.getByTestId('send').click();

    const status = page.getByTestId('episode-status');
    await status.waitFor({ timeout: 60_000 });
    await expect(status.getAttribute('data-status')).resolves.toBe('done');
    // The real ported tool ran on the real data.
    await page.getByTestId('tool-call').first().click();
    await expect(page.getByTestId('tool-call').first().innerText()).resolves.toContain('yusuf_rossi_9620');
    // Task 0 needs write actions that never happened: reward 0, as the original scores it.
    await expect(status.innerText()).resolves.toContain('reward 0');

    const userReq = provider.requests.find((r) => systemOf(r).includes('You are a user interacting with an agent'));
    expect(systemOf(userReq as RecordedRequest)).toContain('Instruction: ');
    const agentReq = provider.requests.find((r) => systemOf(r).includes('Retail agent policy'));
    expect((agentReq?.body.tools as unknown[] | undefined)?.length).toBe(16);

    type Stored = { episodes: Array<{ meta: { environment: unknown; taskIndex: number; userKind: string }; reward?: number; status: string }> };
    const read = async () => (JSON.parse(await dumpIndexedDB(page, 'spotter-traces')) as Stored).episodes[0];
    // The end of the episode shows a moment before its write is durable: poll the store.
    await expect.poll(async () => (await read())?.status, { timeout: 10_000 }).toBe('done');
    const stored = await read();
    expect(stored?.meta).toMatchObject({ environment: { family: 'tau-bench', domain: 'retail' }, taskIndex: 0, userKind: 'simulated' });
    expect(stored?.reward).toBe(0);
    expect(offHostRequests(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a benchmark pack opened from a local folder', () => {
  it('loads a good folder, and names the file and field of a malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spotter-pack-'));
    const pack = join(dir, 'tau-bench');
    cpSync(resolve('..', 'shared', 'tau-bench'), pack, { recursive: true });
    const { context, page } = await openPage();
    try {
      await page.goto(app.url);
      await page.selectOption('select[name=env-kind]', 'tau-bench');
      await page.setInputFiles('input[name=pack-folder]', pack);
      await page.getByText('Your instructions as the customer').waitFor({ timeout: 10_000 });

      // A second copy with a broken task file (a fresh folder: the browser snapshots picked files).
      const broken = join(dir, 'broken', 'tau-bench');
      cpSync(pack, broken, { recursive: true });
      writeFileSync(join(broken, 'retail', 'tasks_test.json'), JSON.stringify([{ user_id: 'u', instruction: 'x', actions: [{ name: 'no_such_tool', kwargs: {} }], outputs: [] }]));
      await page.setInputFiles('input[name=pack-folder]', broken);
      const err = page.getByTestId('pack-error');
      await err.waitFor({ timeout: 10_000 });
      await expect(err.innerText()).resolves.toMatch(/retail\/tasks_test\.json.*\[0\]\.actions\[0\]\.name/);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
