import { strict as assert } from 'node:assert';
import { printable, table } from '../../src/cli/table';

describe('cli table', () => {
  it('pads every column but the last to its widest cell, with three spaces between columns', () => {
    const out = table(['NAME', 'IP', 'NODE'], [
      ['pod-a', '10.244.1.2', 'node1'],
      ['pod-bbbbbb', '10.244.2.10', 'node2'],
    ]);
    assert.equal(out, [
      'NAME         IP            NODE',
      'pod-a        10.244.1.2    node1',
      'pod-bbbbbb   10.244.2.10   node2',
    ].join('\n'));
  });

  it('does not pad the last column, so no line ends in spaces', () => {
    const out = table(['A', 'LAST'], [['x', 'a much longer value'], ['y', 'z']]);
    const lines = out.split('\n');
    assert.equal(lines[2], 'y   z');
    assert.ok(lines.every((l) => l === l.trimEnd()), JSON.stringify(lines));
  });

  it('a header wider than its cells sets the width, and no rows gives only the header line', () => {
    assert.equal(table(['STATUS', 'X'], [['ok', '1']]), 'STATUS   X\nok       1');
    assert.equal(table(['NAME', 'IP'], []), 'NAME   IP');
  });
});

describe('table cells from untrusted sources', () => {
  it('replaces control characters (terminal escape sequences) with ?', () => {
    assert.equal(table(['NAME'], [['evil\u001b]0;pwned\u0007pod']]), 'NAME\nevil?]0;pwned?pod');
    assert.equal(printable('ok-name.1'), 'ok-name.1');
  });
});
