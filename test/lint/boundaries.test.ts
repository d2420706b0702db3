/** The lint rules of eslint.config.mjs do what STYLE.md says: run on real files of this repository with an offending import added. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

/** The rule ids ESLint reports for `file` with `extra` prepended to its real text. */
async function rulesFor(file: string, extra: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(`${extra}\n${readFileSync(file, 'utf8')}`, { filePath: file });
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('lint boundaries (eslint.config.mjs)', function () {
  this.timeout(120_000);

  it('refuses vscode outside src/vscode and allows it inside', async () => {
    assert.ok((await rulesFor('src/providers/provider.ts', "import * as vscode from 'vscode';\nvoid vscode;")).some((m) => m.startsWith('no-restricted-imports: ')));
    assert.ok(!(await rulesFor('src/vscode/extension.ts', "import * as vscode2 from 'vscode';\nvoid vscode2;")).some((m) => m.startsWith('no-restricted-imports')));
  });

  it('refuses Node modules and engine code in webview code', async () => {
    for (const imp of [
      "import { readFileSync as r } from 'node:fs';\nvoid r;", "import * as cp from 'child_process';\nvoid cp;", "import { run as r } from '../../util/exec';\nvoid r;",
      "import type { LabProvider as P } from '../../providers/provider';\nexport type Q = P;"]) {
      assert.ok((await rulesFor('src/webview/diagram/model.ts', imp)).some((m) => m.startsWith('no-restricted-imports: ') && m.includes('Webview code')), imp);
    }
  });

  it('flags a line over 160 characters and a floating promise', async () => {
    const long = `export const LONG_NAME_FOR_A_TEST = [${Array.from({ length: 40 }, (_, i) => i).join(', ')}];`;
    assert.ok((await rulesFor('src/util/concurrency.ts', long)).some((m) => m.startsWith('max-len')));
    assert.ok((await rulesFor('src/util/concurrency.ts', 'async function later(): Promise<void> {}\nlater();')).some((m) => m.startsWith('@typescript-eslint/no-floating-promises')));
  });
});
