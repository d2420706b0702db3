// ESLint flat config: typescript-eslint's recommended sets, the import boundaries of STYLE.md
// (only src/vscode imports vscode; webview code imports no Node modules and no engine code),
// readable lines (160) and functions (60 lines) in src/, and no floating promises (typed).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeModules = [
  'node:*', 'fs', 'fs/*', 'path', 'child_process', 'os', 'net', 'http', 'https', 'crypto', 'stream', 'stream/*',
  'events', 'util', 'url', 'zlib', 'dgram', 'dns', 'tls', 'worker_threads', 'readline', 'buffer', 'process',
  'assert', 'tty', 'v8', 'vm', 'module', 'perf_hooks', 'timers', 'timers/*',
];

const MAX_LEN = { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'media/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'max-len': ['error', MAX_LEN],
      '@typescript-eslint/no-floating-promises': 'error',
      // A handle declared first and assigned once, read by closures made before it exists (a server's own callbacks).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/vscode imports vscode (STYLE.md).' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'test/vscode/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser: it cannot import vscode.' }],
        patterns: [
          { group: nodeModules, message: 'Webview code runs in the browser: no Node modules.' },
          { group: ['**/providers/**', '**/cli/**', '**/util/exec*'], message: 'Webview code imports no engine code (providers, cli, process runner).' },
        ],
      }],
    },
  },
);
