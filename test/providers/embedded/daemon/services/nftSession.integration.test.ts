/** A node's long-lived `nft -i` on the real nft, in a scratch namespace: updates apply whole or not at all, errors come back, a dead one is replaced. */
import { strict as assert } from 'node:assert';
import { NftSession } from '../../../../../src/providers/embedded/daemon/services/nftSession';
import { findExecutable } from '../../../../../src/providers/embedded/tools';
import { runOk } from '../../../../../src/util/exec';
import { startScratchNetns, type ScratchNetns } from '../../../../support/scratchNetns';

describe('nft -i session (scratch namespace)', function () {
  this.timeout(30_000);
  const nft = findExecutable('nft') ?? 'nft';
  let scratch: ScratchNetns;
  let session: NftSession;
  const list = async () => (await runOk([...scratch.enter, nft, 'list', 'table', 'ip', 't'], { timeoutMs: 10_000 }, 'nft list')).stdout;

  before(async function () {
    if (!findExecutable('nft')) this.skip(); // nftables not installed
    scratch = await startScratchNetns();
    await runOk([...scratch.enter, nft, '-f', '-'], { input: 'table ip t {\n\tchain c {\n\t}\n}\n', timeoutMs: 10_000 }, 'loading');
    session = new NftSession([...scratch.enter, nft, '-i'], 'the test table');
  });

  after(() => {
    session?.close();
    scratch?.stop();
  });

  it('applies a multi-line update and resolves once nft has it', async () => {
    await session.apply('add chain ip t d\nflush chain ip t c\nadd rule ip t c jump d\nadd rule ip t d accept\n');
    assert.match(await list(), /chain c \{\n\t\tjump d\n\t\}/);
  });

  it('rejects an update nft refuses, with its error, and applies none of it', async () => {
    const before = await list();
    await assert.rejects(session.apply('add chain ip t e\nadd rule ip t nosuchchain accept\n'), /updating the test table failed: Error: Could not process rule/);
    assert.equal(await list(), before, 'the chain of the same update was not added');
    await session.apply('add chain ip t e\n');
    assert.match(await list(), /chain e \{/);
  });

  it('runs updates one at a time, in order, and starts a new nft -i when the old one died', async () => {
    await Promise.all([session.apply('add chain ip t f\n'), session.apply('add rule ip t f accept\n')]);
    assert.match(await list(), /chain f \{\n\t\taccept\n\t\}/);
    session.close();
    await session.apply('add chain ip t g\n');
    assert.match(await list(), /chain g \{/);
  });
});
