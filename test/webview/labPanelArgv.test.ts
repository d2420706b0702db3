/** The lab panel shows an action's argv as a `run:` line that splitCommand reads back to exactly the same argv. */
import { strict as assert } from 'node:assert';
import { splitCommand } from '../../src/labs/commandLine';
import { formatArgv, quoteWord } from '../../src/webview/labs/argv';

describe('lab panel argv display', () => {
  it('leaves plain words bare, placeholders included', () => {
    assert.equal(formatArgv(['podnet', 'exec', 'pod-a', '--', 'ping', '-c', '1', '{{ip:pod-c}}']), 'podnet exec pod-a -- ping -c 1 {{ip:pod-c}}');
  });

  it('quotes words with spaces, quotes, shell syntax, and the empty word', () => {
    assert.equal(quoteWord('ip -4 addr'), "'ip -4 addr'");
    assert.equal(quoteWord("it's"), `"it's"`);
    assert.equal(quoteWord(`say "hi" \\ it's`), `"say \\"hi\\" \\\\ it's"`);
    assert.equal(quoteWord('a|b'), "'a|b'");
    assert.equal(quoteWord('$(id)'), "'$(id)'");
    assert.equal(quoteWord(''), "''");
  });

  it('round-trips through splitCommand for awkward argv', () => {
    const cases = [
      ['podnet', 'exec', 'pod-a', '--', 'sh', '-c', "ip -4 addr | grep -c 'inet '"],
      ['echo', '', 'tab\there', 'new\nline', 'back\\slash', `"both" 'quotes'`, '`tick`', '${HOME}', 'a;b&c>d<e'],
    ];
    for (const argv of cases) assert.deepEqual(splitCommand(formatArgv(argv)), { argv });
  });
});
