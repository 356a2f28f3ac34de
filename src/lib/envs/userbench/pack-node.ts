/** The UserBench pack from a folder on disk (Node only; browser bundles never import node:fs). */
import { resolve } from 'node:path';

export { nodePackSource } from '../tau-bench/pack-node.ts';

/** ../shared/userbench beside the checkout, as tests and scripts find it. */
export function defaultUserBenchDir(cwd: string = process.cwd()): string {
  return resolve(process.env.SPOTTER_USERBENCH_DIR ?? resolve(cwd, '..', 'shared', 'userbench'));
}
