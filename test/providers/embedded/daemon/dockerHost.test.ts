import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../../src/providers/embedded/control/labError';
import { bridgeNetconf } from '../../../../src/providers/embedded/daemon/cni';
import { DOCKER_NAT_TABLE, dockerNatRuleset, requireNft } from '../../../../src/providers/embedded/daemon/dockerHost';
import { locateTools } from '../../../../src/providers/embedded/preflight';
import { REQUIRED_CNI_PLUGINS, REQUIRED_TOOLS, type LabTools } from '../../../../src/providers/embedded/tools';

const PLAN = {
  ip: '192.168.1.10',
  bridgeCIDR: '172.17.0.0/16',
  containers: [
    { name: 'web-a', ip: '172.17.0.2', port: 8080, publish: 8081 },
    { name: 'web-b', ip: '172.17.0.3', port: 8080 },
  ],
};

const TOOLS: LabTools = { ip: '/ip', unshare: '/unshare', nsenter: '/nsenter', mount: '/mount', umount: '/umount', setpriv: '/setpriv', busybox: '/busybox', cniPath: '/cni' };

/** The lines of one chain's body in an nft script. */
function chain(script: string, name: string): string[] {
  const body = script.split(`chain ${name} {`)[1]?.split('}')[0];
  assert.ok(body, `chain ${name} missing from:\n${script}`);
  return body.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

describe('Docker host (lab process side)', () => {
  describe('dockerNatRuleset', () => {
    it('masquerades what leaves docker0\'s range through any other interface', () => {
      assert.deepEqual(chain(dockerNatRuleset(PLAN), 'postrouting'), [
        'type nat hook postrouting priority srcnat; policy accept;',
        'ip saddr 172.17.0.0/16 oifname != "docker0" masquerade',
      ]);
    });

    it('DNATs each published port, from outside docker0 and from the host itself; unpublished containers get no rule', () => {
      const script = dockerNatRuleset(PLAN);
      assert.deepEqual(chain(script, 'prerouting'), [
        'type nat hook prerouting priority dstnat; policy accept;',
        'iifname != "docker0" tcp dport 8081 dnat to 172.17.0.2:8080 comment "web-a"',
      ]);
      assert.deepEqual(chain(script, 'output'), [
        'type nat hook output priority -100; policy accept;',
        'ip daddr 192.168.1.10 tcp dport 8081 dnat to 172.17.0.2:8080 comment "web-a"',
      ]);
      assert.doesNotMatch(script, /172\.17\.0\.3/);
    });

    it(`replaces any earlier table ip ${DOCKER_NAT_TABLE} in one transaction, so loading twice is harmless`, () => {
      const lines = dockerNatRuleset(PLAN).split('\n');
      assert.deepEqual(lines.slice(0, 3), [`table ip ${DOCKER_NAT_TABLE}`, `delete table ip ${DOCKER_NAT_TABLE}`, `table ip ${DOCKER_NAT_TABLE} {`]);
    });
  });

  describe('requireNft', () => {
    it('returns the nft path when preflight found it', () => {
      assert.equal(requireNft({ ...TOOLS, nft: '/usr/sbin/nft' }), '/usr/sbin/nft');
    });

    it('without nft, fails naming the field and the apt-get command that fixes it', () => {
      assert.throws(() => requireNft(TOOLS), (e: unknown) => e instanceof LabError && e.field === 'dockerHost'
        && /nft is not installed/.test(e.message) && /apt-get install -y nftables/.test(e.message));
    });
  });

  describe('bridgeNetconf', () => {
    it('keeps Pods on cbr0 and names the Docker host\'s network and bridge docker0, never with the plugin\'s iptables masquerade', () => {
      const pod = bridgeNetconf('10.244.1.0/24', '/d') as Record<string, unknown>;
      const docker = bridgeNetconf('172.17.0.0/16', '/d', 'docker0') as Record<string, unknown>;
      assert.deepEqual([pod.name, pod.bridge, pod.ipMasq], ['cbr0', 'cbr0', false]);
      assert.deepEqual([docker.name, docker.bridge, docker.ipMasq, docker.isGateway], ['docker0', 'docker0', false, true]);
    });
  });

  describe('preflight and nft', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'podnet-nft-'));
      for (const [dir, names] of [['bin', REQUIRED_TOOLS.map((t) => t.name)], ['cni', [...REQUIRED_CNI_PLUGINS]]] as const) {
        mkdirSync(join(root, dir));
        for (const n of names) {
          writeFileSync(join(root, dir, n), '#!/bin/true\n');
          chmodSync(join(root, dir, n), 0o755);
        }
      }
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds nft when installed and does not require it otherwise', () => {
      const without = locateTools(join(root, 'cni'), [join(root, 'bin')], {});
      assert.deepEqual(without.problems, []);
      assert.equal(without.tools?.nft, undefined);
      writeFileSync(join(root, 'bin', 'nft'), '#!/bin/true\n');
      chmodSync(join(root, 'bin', 'nft'), 0o755);
      assert.equal(locateTools(join(root, 'cni'), [join(root, 'bin')], {}).tools?.nft, join(root, 'bin', 'nft'));
    });
  });
});
