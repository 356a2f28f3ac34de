/**
 * A tau-bench task as an `Env`: the original's `Env.step` for tool calls and
 * its `calculate_reward` for scoring (gold actions replayed on a fresh
 * database, `to_hashable` equality, then the outputs check).
 *
 * Known limit: a tool call's arguments arrive here already parsed by JS, so
 * `1.0` and `1` in the model's JSON are both the int 1 (Python would keep a
 * float); integral numbers are treated as ints.
 */
import type { Env, RewardInfo, ToolResult } from '../env-interface.ts';
import type { ToolCall } from '../../contracts.ts';
import { dataHash, hashableEqual } from './hash.ts';
import {
  RESPOND_ACTION_NAME,
  TERMINATE_TOOLS,
  domainOf,
  taskOf,
  type DomainPack,
  type TauAction,
  type TauPack,
  type TauTask,
} from './pack.ts';
import { deepCopy, fromJs, isDict, type PyDict } from './py.ts';
import type { TaskSplit, TauDomain } from '../environment.ts';
import { invokeTool } from './tool.ts';

/** A fresh copy of the domain's initial database, as `data_load_func()` gives. */
export function freshDb(domain: DomainPack): PyDict {
  return deepCopy(domain.db);
}

/** One tool action, as `Env.step` runs it; null for respond (the user answers those). */
export function stepAction(domain: DomainPack, data: PyDict, action: TauAction): string | null {
  if (action.name === RESPOND_ACTION_NAME) return null;
  const tool = domain.toolsByName.get(action.name);
  if (!tool) return `Unknown action ${action.name}`;
  return invokeTool(tool, data, action.kwargs);
}

const goldCache = new WeakMap<TauTask, PyDict>();
const goldHashCache = new WeakMap<TauTask, Promise<string>>();

function goldHash(domain: DomainPack, task: TauTask): Promise<string> {
  let h = goldHashCache.get(task);
  if (!h) {
    h = dataHash(goldDb(domain, task));
    goldHashCache.set(task, h);
  }
  return h;
}

/** The database after the task's gold actions (terminate tools skipped, as the original does). */
export function goldDb(domain: DomainPack, task: TauTask): PyDict {
  const cached = goldCache.get(task);
  if (cached) return cached;
  const data = freshDb(domain);
  for (const action of task.actions) {
    if (!TERMINATE_TOOLS.includes(action.name)) stepAction(domain, data, action);
  }
  goldCache.set(task, data);
  return data;
}

/** For each required output: does some agent message contain it (case-insensitive, commas removed)? */
function outputsFound(task: TauTask, agentMessages: readonly string[]): Record<string, boolean> {
  const found: Record<string, boolean> = {};
  for (const output of task.outputs) {
    const needle = output.toLowerCase();
    found[output] = agentMessages.some((m) => m.toLowerCase().replaceAll(',', '').includes(needle));
  }
  return found;
}

interface Score {
  reward: 0 | 1;
  rActions: boolean;
  outputs?: Record<string, boolean>;
}

/** The original's reward for a finished episode's database and agent messages. */
export function score(domain: DomainPack, task: TauTask, data: PyDict, agentMessages: readonly string[]): Score {
  const rActions = hashableEqual(data, goldDb(domain, task));
  let reward: 0 | 1 = rActions ? 1 : 0;
  if (task.outputs.length === 0) return { reward, rActions };
  const outputs = outputsFound(task, agentMessages);
  if (Object.values(outputs).some((f) => !f)) reward = 0;
  return { reward, rActions, outputs };
}

export interface ReplayResult {
  /** One per action; null for respond. */
  observations: Array<string | null>;
  reward: 0 | 1;
  db: PyDict;
}

/** Runs `actions` on a fresh database and scores them (respond contents count as agent messages). */
export function replayActions(
  pack: TauPack,
  domainName: TauDomain,
  taskIndex: number,
  actions: readonly TauAction[],
  split: TaskSplit = 'test',
): ReplayResult {
  const domain = domainOf(pack, domainName);
  const task = taskOf(pack, domainName, taskIndex, split);
  const db = freshDb(domain);
  const observations = actions.map((a) => stepAction(domain, db, a));
  const messages = actions.flatMap((a) => {
    const content = a.name === RESPOND_ACTION_NAME ? a.kwargs.get('content') : undefined;
    return typeof content === 'string' ? [content] : [];
  });
  return { observations, reward: score(domain, task, db, messages).reward, db };
}

export interface TauEnv extends Env {
  readonly domain: TauDomain;
  readonly task: TauTask;
  /** The episode's database (mutated by tool calls). */
  readonly data: PyDict;
  /** Tool execution is synchronous here. */
  execute(call: ToolCall): ToolResult;
  reward(agentMessages: string[]): Promise<RewardInfo>;
}

/** The environment for one task; each call starts from a fresh database. */
export function createTauEnv(pack: TauPack, domainName: TauDomain, taskIndex: number, split: TaskSplit = 'test'): TauEnv {
  const domain = domainOf(pack, domainName);
  const task = taskOf(pack, domainName, taskIndex, split);
  const data = freshDb(domain);
  return {
    id: `tau-bench/${domainName}/${split}/${taskIndex}`,
    policy: domain.wiki,
    tools: domain.tools,
    domain: domainName,
    task,
    data,
    execute(call: ToolCall): ToolResult {
      const kwargs = fromJs(call.arguments);
      const observation = stepAction(domain, data, { name: call.name, kwargs: isDict(kwargs) ? kwargs : new Map() });
      return TERMINATE_TOOLS.includes(call.name) && domain.toolsByName.has(call.name)
        ? { observation: observation ?? '', endsEpisode: true }
        : { observation: observation ?? `Unknown action ${call.name}` };
    },
    async reward(agentMessages: string[]): Promise<RewardInfo> {
      const s = score(domain, task, data, agentMessages);
      // The original records only the gold state's hash (RewardActionInfo.gt_data_hash); it is
      // cached per task, so only a task's first episode pays for it. The episode's own state is
      // compared structurally (score), never hashed: that would block the page on every failure.
      const gtHashHex = await goldHash(domain, task);
      return {
        reward: s.reward,
        details: {
          r_actions: s.rActions,
          gt_data_hash: gtHashHex,
          ...(s.outputs ? { r_outputs: Object.values(s.outputs).every(Boolean), outputs: s.outputs } : {}),
        },
      };
    },
  };
}
