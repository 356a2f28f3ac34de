import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runScript } from '../tests/run-script.ts';

const OutputSchema = z.object({
  domain: z.string(),
  task_id: z.string(),
  observations: z.array(z.object({ requestor: z.enum(['assistant', 'user']), name: z.string(), content: z.string(), error: z.boolean() })),
  db_hash: z.string().regex(/^[0-9a-f]{64}$/),
  user_db_hash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  reward: z.number().nullable(),
  reward_breakdown: z.record(z.string(), z.number().nullable()),
  env_assertions: z.array(z.object({ funcName: z.string(), met: z.boolean() })),
});

const TASK = '[service_issue]airplane_mode_on|overdue_bill_suspension[PERSONA:None]';
const tau2 = (args: string[]) => runScript('scripts/tau2.ts', args);

describe.runIf(existsSync(path.resolve('../shared/tau2-bench/telecom')))('npm run tau2 -- replay --domain telecom', () => {
  it("prints one JSON line: both sides' observations, both DB hashes, the reward by component", async () => {
    const r = await tau2(['replay', '--domain', 'telecom', '--task-id', TASK]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2);
    const out = OutputSchema.parse(JSON.parse(r.stdout));
    expect(out.observations.map((o) => `${o.requestor}:${o.name}`)).toEqual([
      'user:toggle_airplane_mode',
      'assistant:send_payment_request',
      'user:make_payment',
      'assistant:resume_line',
      'user:reboot_device',
    ]);
    // The payment request reached the phone through sync_tools, and the resumed line brought service back.
    expect(out.observations[2]?.content).toBe('Payment of 65.0 USD has been made for bill B1234321.');
    expect(out.observations[4]?.content).toContain('5G | 📱 Data Enabled');
    expect(out.user_db_hash).not.toBeNull();
    expect(out.reward).toBe(1);
    expect(out.reward_breakdown).toEqual({ ENV_ASSERTION: 1 });
  }, 60_000);

  it('replays an actions file with user-side calls: the line stays suspended without the payment', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tau2-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(
      file,
      JSON.stringify([
        { requestor: 'user', name: 'toggle_airplane_mode', arguments: {} },
        { requestor: 'assistant', name: 'resume_line', arguments: { customer_id: 'C1001', line_id: 'L1002' } },
        { requestor: 'user', name: 'reboot_device', arguments: {} },
        { role: 'assistant', content: 'Your line is back.' },
      ]),
    );
    const r = await tau2(['replay', '--domain', 'telecom', '--task-id', TASK, '--actions', file]);
    expect(r.code).toBe(0);
    const out = OutputSchema.parse(JSON.parse(r.stdout));
    expect(out.observations.map((o) => o.error)).toEqual([false, false, false]);
    expect(out.env_assertions.some((a) => !a.met)).toBe(true);
    expect(out.reward).toBe(0);
  }, 60_000);
});
