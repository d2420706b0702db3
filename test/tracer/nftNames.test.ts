/** kube-proxy's chain names read back into Service keys, on every chain of the recorded tables. */
import { strict as assert } from 'node:assert';
import { serviceKeyOfChain, servicePortName } from '../../src/tracer/kubeProxyNames';
import { SERVICES } from '../support/nftFixtures';
import { ruleset } from './nftSupport';

describe('serviceKeyOfChain', () => {
  it('names the Service (and endpoint) of every per-Service chain of the lab table, and nothing else', () => {
    const names = new Set(SERVICES.map((s) => s.spec.name));
    for (const chain of ruleset('kube-proxy-node2.json').values()) {
      const key = serviceKeyOfChain(chain.name);
      if (!chain.name.includes('/')) {
        assert.equal(key, undefined, chain.name);
        continue;
      }
      assert.ok(key, chain.name);
      assert.ok(names.has(key.name), chain.name);
      assert.equal(key.namespace, 'default');
      assert.equal(key.protocol, SERVICES.find((s) => s.spec.name === key.name)?.spec.protocol);
      assert.equal(chain.name.startsWith(`${key.kind}-`), true);
      if (key.kind === 'endpoint') {
        const svc = SERVICES.find((s) => s.spec.name === key.name);
        assert.ok(svc?.endpoints.some((e) => e.ip === key.endpoint?.ip && e.port === key.endpoint?.port), chain.name);
      } else assert.equal(key.endpoint, undefined);
    }
  });

  it('reads upstream names with a named port', () => {
    assert.deepEqual(serviceKeyOfChain('endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80'), {
      kind: 'endpoint', namespace: 'ns1', name: 'svc1', protocol: 'tcp', port: 'p80', endpoint: { ip: '10.180.0.1', port: 80 },
    });
    const local = serviceKeyOfChain('local-7KPQZ3AB-default/local-web/udp/dns');
    assert.deepEqual(local && [local.kind, servicePortName(local)], ['local', 'default/local-web:dns']);
  });

  it('refuses names that are not kube-proxy per-Service chains', () => {
    for (const name of ['services', 'mark-for-masquerade', 'KUBE-SVC-WEBWEBWEBWEBWEBW', 'service-ABCDEFGH-default/web/icmp/x',
      'endpoint-ABCDEFGH-default/web/tcp/http', 'service-ABCDEFGH-default/web/tcp/http__10.0.0.1/80', 'service-ABCDEFGH-default/very-long...']) {
      assert.equal(serviceKeyOfChain(name), undefined, name);
    }
  });
});
