/**
 * The recorded nft fixtures are still what the real nft makes of today's rule text: the lab's generator and the
 * upstream-shaped table are loaded again in a scratch namespace and listed; a difference means re-recording.
 */
import { strict as assert } from 'node:assert';
import { kubeProxyRuleset } from '../../src/providers/embedded/daemon/services/kubeProxyRules';
import { findExecutable } from '../../src/providers/embedded/tools';
import { labInput, nftListing } from '../support/nftFixtures';
import { fixtureText } from './nftSupport';

/** A listing without what changes from run to run: nft's version line and an affinity element's remaining time. */
function stable(listing: string): unknown[] {
  const items = (JSON.parse(listing) as { nftables: Record<string, unknown>[] }).nftables.filter((x) => !x.metainfo);
  return JSON.parse(JSON.stringify(items).replace(/,"expires":\d+/g, '')) as unknown[];
}

const RERECORD = 're-record with `npx tsx test/support/nftFixtures.ts` (see test/fixtures/nft/README.md)';

describe('nft fixtures against the real nft (scratch namespace)', function () {
  this.timeout(30_000);

  before(function () {
    if (!findExecutable('nft')) this.skip(); // nftables not installed: the fixtures cannot be compared
  });

  for (const node of ['node1', 'node2'] as const) {
    it(`the lab generator's table for ${node} lists exactly as recorded`, async () => {
      const script = kubeProxyRuleset(labInput(node));
      assert.equal(script, fixtureText(`kube-proxy-${node}.nft`), `the generator's text changed: ${RERECORD}`);
      assert.deepEqual(stable(await nftListing(script)), stable(fixtureText(`kube-proxy-${node}.json`)), RERECORD);
    });
  }

  it('the upstream-shaped table lists exactly as recorded', async () => {
    const listed = await nftListing(fixtureText('kube-proxy-upstream.nft'));
    assert.deepEqual(stable(listed), stable(fixtureText('kube-proxy-upstream.json')), RERECORD);
  });
});
