/** The pack read from a folder on disk (Node only; kept apart so browser bundles never import node:fs). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PackSource } from './pack.ts';

export function nodePackSource(dir: string): PackSource {
  const root = resolve(dir);
  return {
    describe: root,
    readText: (path) => readFile(join(root, path), 'utf8'),
  };
}

/** ../shared/tau-bench beside the checkout, as tests and scripts find it. */
export function defaultTauDir(cwd: string = process.cwd()): string {
  return resolve(cwd, '..', 'shared', 'tau-bench');
}
