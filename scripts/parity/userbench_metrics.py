"""Runs eval.py's own post_process_results on reward lists and writes the
fixture src/lib/runs/userBenchMetrics.fixture.json.

  python3 scripts/parity/userbench_metrics.py /path/to/UserBench/eval.py > src/lib/runs/userBenchMetrics.fixture.json

The function is taken from eval.py's source with `ast` (eval.py imports
openai, boto3, ... at the top, which are not needed for this arithmetic).
"""
import ast, asyncio, contextlib, io, json, random, sys

src = open(sys.argv[1]).read()
fn = next(n for n in ast.parse(src).body if isinstance(n, ast.AsyncFunctionDef) and n.name == "post_process_results")
ns = {}
exec(compile(ast.Module(body=[fn], type_ignores=[]), "eval.py", "exec"), ns)

rng = random.Random(7)
values = [0.0, 0.2, 0.8, 1.0, 1.8, 0.4]
cases = []
for case in range(12):
    tasks = []
    for t in range(rng.randint(1, 9)):
        tasks.append([rng.choice(values) for _ in range(rng.randint(0 if case % 4 == 0 else 1, 20))])
    cache = {"travel22": {f"h{i}": {"reward": [[0.2], scores]} for i, scores in enumerate(tasks)}}
    with contextlib.redirect_stdout(io.StringIO()):  # its progress print
        out = asyncio.run(ns["post_process_results"]({"travel22": {}}, cache, "travel22", 1))["travel22"]["1"]
    cases.append({"lastRollouts": tasks, "expected": out})
print(json.dumps(cases, indent=1))
