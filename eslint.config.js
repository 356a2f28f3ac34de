import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', '.fixtures/', 'public/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The service worker (src/sw/sw.ts, built by vite-plugin-pwa) runs with the service worker's globals.
    files: ['src/sw/**/*.ts'],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  ...layerRules(),
);

/**
 * Layers point one way. The core (src/lib) is framework-free and runs under Node, so it imports
 * nothing from Svelte, the UI, the workers, benches, scripts or tests. Inside src/lib each folder
 * imports only the folders below it; test files may cross layers and import tests/ doubles and fixtures.
 */
function layerRules() {
  // Lowest first; each folder may import the base and the folders listed for it.
  const base = ['types', 'errors', 'secrets', 'percentiles', 'usage', 'pricing', 'format-bytes', 'json-object', 'decoding-schema', 'indexed-db', 'worker-link', 'net'];
  const allowed = {
    engines: [],
    actor: ['engines'],
    critic: ['engines', 'actor'],
    setup: ['engines', 'actor', 'critic', 'envs'],
    envs: ['engines', 'actor'],
    loop: ['engines', 'actor', 'critic', 'envs'],
    traces: ['engines', 'actor', 'critic', 'envs', 'loop'],
    data: ['engines', 'actor', 'critic', 'setup', 'envs', 'loop', 'traces'],
    runs: ['engines', 'actor', 'critic', 'setup', 'envs', 'loop', 'traces'],
    exam: ['engines', 'actor', 'critic', 'setup', 'envs', 'loop', 'traces', 'data', 'runs'],
  };
  const folders = Object.keys(allowed);
  const outside = (tests) => [
    { group: ['svelte', 'svelte/*', '*.svelte'], message: 'src/lib is framework-free: no Svelte.' },
    { regex: String.raw`(^|/)(ui|workers|bench)/`, message: 'src/lib must not import the UI, workers or benches.' },
    ...(tests ? [] : [{ regex: String.raw`(^|/)(tests|scripts)/`, message: 'Only test files import test doubles, fixtures and the fixture generator.' }]),
  ];
  const above = (folder) => folders.filter((f) => f !== folder && !allowed[folder].includes(f));
  const rule = (forbidden, tests) => ({
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...outside(tests),
          ...(forbidden.length ? [{ regex: String.raw`(^|/)(${forbidden.join('|')})(/|\.ts$)`, message: 'Layers point one way: this folder must not import a layer above it.' }] : []),
        ],
      },
    ],
  });
  const ignores = ['src/lib/**/*.test.ts'];
  const blocks = [{ files: base.flatMap((b) => [`src/lib/${b}.ts`, `src/lib/${b}/**/*.ts`]), ignores, rules: rule(folders, false) }];
  for (const f of folders) blocks.push({ files: [`src/lib/${f}/**/*.ts`], ignores, rules: rule(above(f), false) });
  // Tests may cross layers (an env's test runs the loop over it), but stay framework-free.
  blocks.push({ files: ['src/lib/**/*.test.ts'], rules: rule([], true) });
  return blocks;
}
