import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** Value (non-type) names a source imports from @kubernetes/client-node. */
function valueImports(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@kubernetes\/client-node'/g)) {
    if (m[1]) continue;
    for (const part of m[2].split(',').map((p) => p.trim()).filter(Boolean)) if (!part.startsWith('type ')) names.push(part.split(/\s+as\s+/)[0]);
  }
  return names;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('the separate @kubernetes/client-node bundle', () => {
  it('exports every value the source imports from the client (a name missing there would fail only at run time)', () => {
    const entry = readFileSync(join(ROOT, 'scripts/client-node-entry.mjs'), 'utf8');
    const exported = new Set((/export\s*\{([^}]*)\}/.exec(entry)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const used = new Set(sources(join(ROOT, 'src')).flatMap((f) => valueImports(readFileSync(f, 'utf8'))));
    assert.ok(used.size > 0, 'the kube code imports the client');
    const missing = [...used].filter((n) => !exported.has(n));
    assert.deepEqual(missing, [], `add ${missing.join(', ')} to scripts/client-node-entry.mjs`);
  });
});
