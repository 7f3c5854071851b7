// Lint: typescript-eslint's recommended rules, no import cycles, and the boundaries between the
// parts (README.md "Layout"); `npm run imports:graph` draws what the imports make of them.
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const importSettings = {
  ...importX.flatConfigs.typescript.settings,
  'import-x/resolver-next': [createTypeScriptImportResolver()],
};

// What ships: none of it may depend on tests or the benchmark.
const PRODUCTION = ['router', 'registry', 'lib', 'subgraphs', 'subgraph-kit', 'broker-client', 'auth-server', 'scripts', 'bin'];
const ALL = [...PRODUCTION, 'bench', 'test', 'console', 'examples'];
const others = (...folders) => ALL.filter((folder) => !folders.includes(folder)).map((folder) => `./${folder}`);

/** Each zone: files under `target` may not import files under `from` (paths from this folder). */
const boundaries = [
  { target: './lib', from: others('lib'), message: 'lib/ is the shared base: it imports no other part.' },
  { target: './bench', from: './test', message: 'The benchmark never imports test code; move what both need to lib/ or the part it belongs to.' },
  { target: './router', from: ['./subgraphs', './auth-server'], message: 'The router speaks HTTP to subgraphs and the issuer; what both sides need lives in lib/.' },
  { target: './registry', from: ['./router', './subgraphs', './auth-server', './subgraph-kit', './broker-client'], message: 'The registry knows nothing of the router: the router uses it, not the reverse (and it speaks HTTP to subgraphs).' },
  { target: './subgraphs', from: ['./router', './auth-server'], message: 'Subgraphs never import the router or the issuer; what both sides need lives in lib/.' },
  { target: './subgraph-kit', from: ['./router', './subgraphs', './auth-server'], message: 'The subgraph kit stands alone: it imports only lib/.' },
  { target: './broker-client', from: others('broker-client', 'lib'), message: 'The broker client stands alone: it imports only lib/ and packages.' },
  { target: './auth-server', from: ['./router', './subgraphs', './subgraph-kit', './broker-client'], message: 'The authorization server knows nothing of the router or the subgraphs.' },
  ...PRODUCTION.map((folder) => ({ target: `./${folder}`, from: ['./test', './bench', './examples'], message: 'Production code never imports tests, the benchmark or the examples.' })),
  {
    // What a team copies must build against the package alone: its public entries, no deep import.
    target: './examples',
    from: '.',
    except: ['./examples', './node_modules', './subgraph-kit/index.ts', './broker-client/index.ts'],
    message: 'Examples import only the public entries deputy/subgraph (subgraph-kit/index.ts) and deputy/broker-client (broker-client/index.ts), and packages.',
  },
  {
    target: './console',
    from: '.',
    except: ['./console', './node_modules', './router/publishedTypes.ts'],
    message: 'The console imports only the types the router publishes (router/publishedTypes.ts).',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', 'dist/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: importSettings,
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: importSettings,
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: boundaries }] },
  },
  {
    // The bundle must not pull router code into the browser: types only, erased at build.
    files: ['console/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/router/publishedTypes.js'], allowTypeImports: true, message: 'Use `import type`: the console takes only types from the router.' }] },
      ],
    },
  },
);
