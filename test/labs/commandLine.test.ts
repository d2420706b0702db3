/** Splitting a `run:` string: words and quotes only, and shell syntax is an error instead of a surprise. */
import { strict as assert } from 'node:assert';
import { splitCommand } from '../../src/labs/commandLine';

describe('splitCommand', () => {
  it('splits on whitespace and keeps quoted text as one word', () => {
    assert.deepEqual(splitCommand(`podnet exec pod-a -- sh -c 'echo $HOME; ip addr'`), { argv: ['podnet', 'exec', 'pod-a', '--', 'sh', '-c', 'echo $HOME; ip addr'] });
    assert.deepEqual(splitCommand('  podnet   trace\tpod-a  pod-c '), { argv: ['podnet', 'trace', 'pod-a', 'pod-c'] });
    assert.deepEqual(splitCommand(`a "b \\"c\\" \\\\ d" e'f'g \\ h`), { argv: ['a', 'b "c" \\ d', 'efg', ' h'] });
    assert.deepEqual(splitCommand(`x ''`), { argv: ['x', ''] });
  });

  it('refuses shell operators outside quotes, saying how to ask for a shell', () => {
    for (const [text, op] of [['podnet exec pod-a -- ip addr | grep eth0', '|'], ['a; b', ';'], ['a && b', '&'], ['a > f', '>'], ['echo $(id)', '$('], ['echo `id`', '`']]) {
      const r = splitCommand(text);
      assert.ok('problem' in r, text);
      assert.match(r.problem, new RegExp(`"${op.replace(/[|$(]/g, '\\$&')}" outside quotes would be shell syntax`));
      assert.match(r.hint, /sh -c/);
      assert.equal(r.offset, text.indexOf(op));
    }
  });

  it('refuses a quote that is never closed', () => {
    const r = splitCommand(`podnet exec pod-a -- echo 'oops`);
    assert.ok('problem' in r);
    assert.match(r.problem, /single quote is never closed/);
  });
});
