import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { filesPackSource, httpPackSource, loadTauDomain, loadTauPack, type PackSource } from './pack.ts';
import { nodePackSource } from './pack-node.ts';
import { dumps } from './py.ts';

const DIR = path.resolve(process.cwd(), '..', 'shared', 'tau-bench');
const real = nodePackSource(DIR);

/** The real pack with some files replaced (or removed, with null). */
function patched(overrides: Record<string, string | null>): PackSource {
  return {
    describe: 'patched pack',
    async readText(p) {
      if (p in overrides) {
        const v = overrides[p];
        if (v === null || v === undefined) throw new Error('missing file');
        return v;
      }
      return real.readText(p);
    },
  };
}

async function validationMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected a ValidationError');
}

describe('pack loading', () => {
  it('loads both domains: 16 retail and 14 airline tools in tools.json order, 115 + 50 test tasks', async () => {
    const pack = await loadTauPack(real);
    expect(pack.domains.retail?.tools).toHaveLength(16);
    expect(pack.domains.airline?.tools).toHaveLength(14);
    expect(pack.domains.retail?.tools[0]?.function.name).toBe('calculate');
    expect(pack.domains.airline?.tools[0]?.function.name).toBe('book_reservation');
    expect(pack.domains.retail?.tasks.test).toHaveLength(115);
    expect(pack.domains.airline?.tasks.test).toHaveLength(50);
    expect(pack.userSimulatorPrompt).toContain('{instruction}');
  });

  it('keeps the source key order of integer-like keys (product and variant ids)', async () => {
    const retail = await loadTauDomain(real, 'retail');
    const products = retail.db.get('products');
    if (!(products instanceof Map)) throw new Error('products');
    const first = [...products.keys()].slice(0, 3);
    expect(first).toEqual(['9523456873', '4760268021', '6938111410']); // file order, not numeric order
    expect(dumps(products).startsWith('{"9523456873": ')).toBe(true);
  });

  it('a missing file names the file', async () => {
    const msg = await validationMessage(loadTauDomain(patched({ 'retail/tasks_test.json': null }), 'retail'));
    expect(msg).toMatch(/^retail\/tasks_test\.json: cannot read \(missing file\)/);
  });

  it('a task naming an unknown tool names the file and the field', async () => {
    const text = await real.readText('retail/tasks_test.json');
    const tasks: unknown = JSON.parse(text); // shape checked by the loader under test
    if (!Array.isArray(tasks)) throw new Error('tasks');
    tasks[3].actions[0].name = 'foo';
    const msg = await validationMessage(loadTauDomain(patched({ 'retail/tasks_test.json': JSON.stringify(tasks) }), 'retail'));
    expect(msg).toBe('retail/tasks_test.json: [3].actions[0].name: unknown tool "foo"');
  });

  it('a malformed database names the file and the field', async () => {
    const bad = '{"HAT001": {"flight_number": "HAT001", "origin": "JFK", "destination": 7}}';
    const msg = await validationMessage(loadTauDomain(patched({ 'airline/flights.json': bad }), 'airline'));
    expect(msg).toMatch(/^airline\/flights\.json: HAT001\.destination: /);
    const notJson = await validationMessage(loadTauDomain(patched({ 'airline/users.json': '{"a": 1,' }), 'airline'));
    expect(notJson).toMatch(/^airline\/users\.json: invalid JSON: /);
  });

  it('tools.json must only name tools this port implements', async () => {
    const tools: unknown = JSON.parse(await real.readText('airline/tools.json'));
    if (!Array.isArray(tools)) throw new Error('tools');
    tools[2].function.name = 'teleport';
    const msg = await validationMessage(loadTauDomain(patched({ 'airline/tools.json': JSON.stringify(tools) }), 'airline'));
    expect(msg).toBe('airline/tools.json: [2].function.name: no airline tool is called "teleport"');
  });

  it('reads over HTTP relative to the base URL (fetchDouble stands in for the server)', async () => {
    const asked: string[] = [];
    const fetchDouble: typeof fetch = async (input) => {
      const url = String(input);
      asked.push(url);
      const rel = url.replace('http://127.0.0.1/tau-bench/', '');
      try {
        return new Response(await real.readText(rel));
      } catch {
        return new Response('not found', { status: 404 });
      }
    };
    const source = httpPackSource('http://127.0.0.1/tau-bench', fetchDouble);
    const airline = await loadTauDomain(source, 'airline');
    expect(airline.tasks.test).toHaveLength(50);
    expect(asked).toContain('http://127.0.0.1/tau-bench/airline/wiki.md');
    const msg = await validationMessage(loadTauDomain(source, 'airline', ['train']));
    expect(msg).toMatch(/^airline\/tasks_train\.json: cannot read \(HTTP 404\)/);
  });

  it('reads a user-opened folder by relative path', async () => {
    const names = ['user_simulator_prompt.txt', 'airline/flights.json', 'airline/reservations.json', 'airline/users.json',
      'airline/wiki.md', 'airline/rules.json', 'airline/tools.json', 'airline/tasks_test.json'];
    const files = await Promise.all(
      names.map(async (n) => {
        const f = new File([await real.readText(n)], n.split('/').pop() ?? n);
        Object.defineProperty(f, 'webkitRelativePath', { value: `tau-bench/${n}` });
        return f;
      }),
    );
    const pack = await loadTauPack(filesPackSource(files), ['airline']);
    expect(pack.domains.airline?.wiki).toBe(await real.readText('airline/wiki.md'));
    const msg = await validationMessage(loadTauPack(filesPackSource(files), ['retail']));
    expect(msg).toMatch(/^retail\/tools\.json: cannot read/);
  });
});
