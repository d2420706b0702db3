import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/cliError';
import type { ClusterSelection } from '../../../src/cli/clusterArgs';
import { READ_ONLY_SERVICES, SERVICE_HELP, createdLine, serviceCommand, serviceRequestFrom } from '../../../src/cli/commands/service';
import { LabError } from '../../../src/providers/embedded/control/labError';
import type { ServiceInfo } from '../../../src/providers/embedded/control/protocol';

/** Asserts `fn` throws one UsageError (with the service help) whose message matches `pattern`. */
function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && pattern.test(e.message) && e.help === SERVICE_HELP && !e.message.includes('\n'));
}

const WEB: ServiceInfo = {
  name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster',
  ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }], selector: { labels: { app: 'web' } },
  endpoints: [
    { ip: '10.244.1.2', pod: 'pod-a', node: 'node1', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
    { ip: '10.244.2.2', pod: 'pod-c', node: 'node2', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
  ],
};

describe('podnet service', () => {
  describe('serviceRequestFrom', () => {
    it('a selector and a port make a request that leaves every other field to the lab\'s defaults', () => {
      assert.deepEqual(serviceRequestFrom('web', { selector: 'app=web', port: '80' }), { name: 'web', selector: { labels: { app: 'web' } }, port: 80 });
    });

    it('--pods selects by name; every option lands in its field, with type, protocol and policy in canonical spelling', () => {
      const req = serviceRequestFrom('np', {
        pods: 'pod-a,pod-c', port: '80', 'target-port': '8080', protocol: 'UDP', type: 'nodeport', 'node-port': '30090',
        'external-traffic-policy': 'local', 'cluster-ip': '10.96.0.200',
      });
      assert.deepEqual(req, {
        name: 'np', selector: { pods: ['pod-a', 'pod-c'] }, port: 80, targetPort: 8080, protocol: 'udp', type: 'NodePort', nodePort: 30090,
        externalTrafficPolicy: 'Local', clusterIP: '10.96.0.200',
      });
    });

    it('needs exactly one of --selector and --pods', () => {
      usage(() => serviceRequestFrom('web', { port: '80' }), /exactly one of --selector .* or --pods/);
      usage(() => serviceRequestFrom('web', { port: '80', selector: 'app=web', pods: 'pod-a' }), /exactly one of --selector/);
    });

    it('needs --port, and refuses port text, port 0 and a NodePort out of range, naming the option', () => {
      usage(() => serviceRequestFrom('web', { selector: 'app=web' }), /needs --port PORT/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: 'http' }), /^--port "http" must be a whole number from 1 to 65535/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '0' }), /^--port "0"/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', 'target-port': '70000' }), /^--target-port "70000"/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', type: 'NodePort', 'node-port': 'x' }), /^--node-port "x"/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', type: 'NodePort', 'node-port': '8080' }), /^--node-port "8080" must be a whole number from 30000 to 32767/);
    });

    it('refuses unknown --type, --protocol and --external-traffic-policy values, listing the allowed ones', () => {
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', type: 'LoadBalancer' }), /^--type "LoadBalancer" is not one of ClusterIP, NodePort$/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', protocol: 'sctp' }), /^--protocol "sctp" is not one of tcp, udp$/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', type: 'NodePort', 'external-traffic-policy': 'Node' }),
        /^--external-traffic-policy "Node" is not one of Cluster, Local$/);
    });

    it('--node-port and --external-traffic-policy need --type NodePort', () => {
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', 'node-port': '30080' }), /--node-port needs --type NodePort/);
      usage(() => serviceRequestFrom('web', { selector: 'app=web', port: '80', type: 'ClusterIP', 'external-traffic-policy': 'Local' }),
        /--external-traffic-policy needs --type NodePort/);
    });

    it('a bad selector names --selector', () => {
      usage(() => serviceRequestFrom('web', { selector: 'app', port: '80' }), /^--selector "app": "app" should look like KEY=VALUE/);
    });
  });

  describe('createdLine', () => {
    it('names the ClusterIP, port, target port and each ready endpoint with its Pod', () => {
      assert.equal(createdLine(WEB), 'service/web created: ClusterIP 10.96.0.100, port 80/TCP to target port 8080; endpoints 10.244.1.2 (pod-a), 10.244.2.2 (pod-c)');
    });

    it('a NodePort Service names the node port and its policy; without ready endpoints it says traffic is rejected', () => {
      const np: ServiceInfo = { ...WEB, name: 'np', type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ ...WEB.ports[0], nodePort: 30080 }], endpoints: [{ ...WEB.endpoints[0], ready: false }] };
      assert.equal(createdLine(np), 'service/np created: NodePort 10.96.0.100, port 80:30080/TCP to target port 8080; NodePort 30080 on every node (externalTrafficPolicy Local)'
        + '; no ready Pod matches yet, so its traffic is rejected until one does');
    });
  });

  describe('serviceCommand', () => {
    const cluster: ClusterSelection = { context: 'no-such-context', allNamespaces: false, yes: false };

    it('on a cluster refuses in one sentence before connecting: Services there are made with kubectl', async () => {
      for (const argv of [['create', 'web', '--selector', 'app=web', '--port', '80'], ['delete', 'web']]) {
        await assert.rejects(serviceCommand(argv, cluster), (e: unknown) => e instanceof LabError && e.message === READ_ONLY_SERVICES && e.code === 'BAD_REQUEST');
      }
      assert.match(READ_ONLY_SERVICES, /kubectl.*PodNet only reads them/);
    });

    it('refuses a missing or unknown subcommand, a missing NAME, extra arguments and create options on delete', async () => {
      const cases: [string[], RegExp][] = [
        [[], /missing service command/], [['expose', 'web'], /unknown service command "expose"/], [['create'], /missing the Service NAME to create/],
        [['delete', 'web', 'extra'], /unexpected argument "extra"/], [['delete', 'web', '--port', '80'], /--port is for service create/],
        [['create', 'web', '--selector', 'app=web', '--port', '80', '-o', 'yaml'], /-o yaml is not supported/],
        [['create', 'web', '--selctor', 'app=web'], /Unknown option '--selctor'/],
      ];
      for (const [argv, pattern] of cases) {
        await assert.rejects(serviceCommand(argv), (e: unknown) => e instanceof UsageError && pattern.test(e.message), argv.join(' '));
      }
    });
  });
});
