import { strict as assert } from 'node:assert';
import { kindPreflightProblems, type KindFacts } from '../../../src/providers/kind/kindPreflight';

const ok: KindFacts = { kindVersion: 'kind v0.27.0', runtime: { name: 'docker', installed: true, running: true }, existingClusters: [], kindNetworkSubnets: ['172.18.0.0/16', 'fc00:f853:ccd:e793::/64'] };
const req = { name: 'podnet', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' };

describe('kind preflight', () => {
  it('passes when kind and a running runtime are there and nothing collides', () => {
    assert.deepEqual(kindPreflightProblems(ok, req), []);
  });

  it('says kind is missing, with the install link', () => {
    const [p] = kindPreflightProblems({ ...ok, kindVersion: undefined }, req);
    assert.match(p, /^kind is not installed: install it \(https:\/\/kind\.sigs\.k8s\.io\/.*\)/);
  });

  it('tells a missing runtime from one that is not running', () => {
    assert.match(kindPreflightProblems({ ...ok, runtime: { name: 'podman', installed: false, running: false } }, req)[0], /^podman is not installed/);
    assert.match(kindPreflightProblems({ ...ok, runtime: { name: 'docker', installed: true, running: false, error: 'Cannot connect to the Docker daemon' } }, req)[0], /^docker is not running \(Cannot connect/);
  });

  it('refuses an existing cluster of that name and says how to use or delete it', () => {
    const [p] = kindPreflightProblems({ ...ok, existingClusters: ['other', 'podnet'] }, req);
    assert.match(p, /"podnet" already exists: use it with --context kind-podnet, delete it with `podnet kind delete --name podnet`/);
  });

  it('refuses a podSubnet that overlaps the kind network, naming both ranges', () => {
    const problems = kindPreflightProblems({ ...ok, kindNetworkSubnets: ['10.244.128.0/20'] }, req);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /podSubnet 10\.244\.0\.0\/16 overlaps the docker network "kind" \(10\.244\.128\.0\/20\)/);
  });
});
