/**
 * The upstream tau-bench the port, its pack and the historical GPT-4o episodes
 * follow: sierra-research/tau-bench at one commit (../shared/README.md). The
 * Pages workflow exports the pack from this commit (scripts/export-tau-pack.py);
 * scripts/pages-workflow.test.ts checks the two agree.
 */
export const TAU_BENCH_REPOSITORY = 'sierra-research/tau-bench';
export const TAU_BENCH_COMMIT = '59a200c6d575d595120f1cb70fea53cef0632f6b';
/** Raw files of the upstream repository at that commit: `${TAU_BENCH_RAW_BASE}historical_trajectories/gpt-4o-airline.json`. */
export const TAU_BENCH_RAW_BASE = `https://raw.githubusercontent.com/${TAU_BENCH_REPOSITORY}/${TAU_BENCH_COMMIT}/`;
