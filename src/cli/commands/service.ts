/** `podnet service create|delete`: give Pods a stable virtual IP (and a port on every node) the way kube-proxy does, or take it away. */
import { SERVICE_DEFAULTS } from '../../model/serviceSpec';
import type { ExternalTrafficPolicy, ServiceProtocol, ServiceType } from '../../model/topology';
import { LabError } from '../../providers/embedded/control/labError';
import type { ServiceInfo, ServiceRequest } from '../../providers/embedded/control/protocol';
import type { LabProvider } from '../../providers/provider';
import { outputFormat, parse } from '../args';
import { UsageError } from '../cliError';
import { CLUSTER_OPTIONS_HELP, type ClusterSelection } from '../clusterArgs';
import { withProvider } from '../clusterProvider';
import { parseLabels, parseNameList, parsePortNumber } from '../labelArgs';
import { portsText } from './getServices';

/** Help text of `podnet service`. */
export const SERVICE_HELP = `Usage:
  podnet service create NAME (--selector KEY=VALUE[,KEY=VALUE] | --pods POD[,POD]) --port PORT [options]
  podnet service delete NAME

A Service gives the Pods it selects one stable virtual address, its ClusterIP (from the service range,
10.96.0.0/12 unless the topology says otherwise). Every node gets nftables rules like kube-proxy's
nftables mode that DNAT a packet for CLUSTER-IP:PORT to one ready Pod, picked at random. A NodePort
Service also answers on that port of every node's own address, from outside the cluster too.

Options of service create:
  --selector K=V[,K=V]               the Pods whose labels all match (podnet pod create --label K=V)
  --pods POD[,POD]                   or: exactly these Pods, by name
  --port PORT                        the Service's port (1-65535)
  --target-port PORT                 the Pods' port (default: --port)
  --protocol tcp|udp                 default tcp
  --type ClusterIP|NodePort          default ClusterIP
  --node-port PORT                   NodePort only: 30000-32767 (default: 30080, 30081, ... the first free one)
  --external-traffic-policy Cluster|Local
                                     NodePort only. Cluster (default): any node forwards to any Pod and
                                     masquerades the client's address; Local: only to Pods on the node the
                                     packet reached, keeping the client's address (other nodes drop it)
  --cluster-ip IP                    a fixed ClusterIP inside the service range (default: the next free one)
  -o json                            print the Service as JSON

A Service whose selector matches no ready Pod is valid: its traffic is rejected until one is there.
Services follow Pods: delete and re-create a Pod and the ClusterIP stays while the endpoint changes.

Examples:
  podnet pod create web-1 --node node1 --label app=web
  podnet service create web --selector app=web --port 80 --target-port 8080
  podnet service create web-np --pods pod-a,pod-c --port 80 --target-port 8080 --type NodePort
  podnet get svc -o wide
  podnet get endpoints web
  podnet service delete web

On a cluster (--context CTX) Services are made with kubectl; podnet get svc|endpoints reads them.

${CLUSTER_OPTIONS_HELP}`;

/** Options of `podnet service` (the lab-pack action policy may read them too). */
export const SERVICE_OPTIONS = {
  selector: { type: 'string' }, pods: { type: 'string' }, port: { type: 'string' }, 'target-port': { type: 'string' },
  protocol: { type: 'string' }, type: { type: 'string' }, 'node-port': { type: 'string' }, 'external-traffic-policy': { type: 'string' },
  'cluster-ip': { type: 'string' }, output: { type: 'string', short: 'o' },
} as const;

type ServiceValues = { [K in keyof typeof SERVICE_OPTIONS]?: string };

/** `value` matched case-insensitively against `allowed` and returned in its canonical spelling; anything else names the option. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw new UsageError(`${option} "${value}" is not one of ${allowed.join(', ')}`, SERVICE_HELP);
  return found;
}

/** The request `service create NAME` with these option values makes; every mistake is one UsageError naming its option. */
export function serviceRequestFrom(name: string, values: ServiceValues): ServiceRequest {
  if ((values.selector === undefined) === (values.pods === undefined)) {
    throw new UsageError('service create needs exactly one of --selector KEY=VALUE[,KEY=VALUE] or --pods POD[,POD]', SERVICE_HELP);
  }
  if (values.port === undefined) throw new UsageError('service create needs --port PORT (the port the Service listens on)', SERVICE_HELP);
  const selector = values.selector !== undefined
    ? { labels: parseLabels(values.selector, '--selector', SERVICE_HELP) }
    : { pods: parseNameList(values.pods as string, '--pods', SERVICE_HELP) };
  const type = oneOf<ServiceType>(values.type, ['ClusterIP', 'NodePort'], '--type');
  const policy = oneOf<ExternalTrafficPolicy>(values['external-traffic-policy'], ['Cluster', 'Local'], '--external-traffic-policy');
  const nodePort = values['node-port'];
  if (type !== 'NodePort' && nodePort !== undefined) throw new UsageError('--node-port needs --type NodePort', SERVICE_HELP);
  if (type !== 'NodePort' && policy !== undefined) {
    throw new UsageError('--external-traffic-policy needs --type NodePort (it decides where traffic from outside the cluster may go)', SERVICE_HELP);
  }
  const req: ServiceRequest = { name, selector, port: parsePortNumber(values.port, '--port', SERVICE_HELP) };
  if (values['target-port'] !== undefined) req.targetPort = parsePortNumber(values['target-port'], '--target-port', SERVICE_HELP);
  const protocol = oneOf<ServiceProtocol>(values.protocol, ['tcp', 'udp'], '--protocol');
  if (protocol) req.protocol = protocol;
  if (type) req.type = type;
  if (nodePort !== undefined) req.nodePort = parsePortNumber(nodePort, '--node-port', SERVICE_HELP, ...SERVICE_DEFAULTS.nodePortRange);
  if (policy) req.externalTrafficPolicy = policy;
  if (values['cluster-ip'] !== undefined) req.clusterIP = values['cluster-ip'];
  return req;
}

/** The sentence a backend without Services support (a cluster) answers with. */
export const READ_ONLY_SERVICES = 'Services on a cluster are created and deleted with kubectl (kubectl expose, kubectl delete service); PodNet only reads them (podnet get svc)';

/** One line about a created Service: its ClusterIP, ports, NodePort and the endpoints it DNATs to. */
export function createdLine(s: ServiceInfo): string {
  const ready = s.endpoints.filter((e) => e.ready);
  const where = ready.map((e) => `${e.ip}${e.pod ? ` (${e.pod})` : ''}`).join(', ');
  const nodePort = s.ports.find((p) => p.nodePort !== undefined)?.nodePort;
  const target = s.ports.map((p) => p.targetPort).join(',');
  return [
    `service/${s.name} created: ${s.type} ${s.clusterIP}, port ${portsText(s)} to target port ${target}`,
    nodePort !== undefined ? `; NodePort ${nodePort} on every node (externalTrafficPolicy ${s.externalTrafficPolicy})` : '',
    ready.length ? `; endpoints ${where}` : '; no ready Pod matches yet, so its traffic is rejected until one does',
  ].join('');
}

/** Creates or deletes through `p`, or refuses in one sentence on a backend that cannot (a cluster). */
export async function changeService(p: LabProvider, sub: 'create' | 'delete', req: ServiceRequest, json: boolean): Promise<void> {
  if (!p.addService || !p.deleteService) throw new LabError(READ_ONLY_SERVICES, 'BAD_REQUEST');
  if (sub === 'delete') {
    const res = await p.deleteService(req.name);
    return void console.log(`service/${res.name} deleted; its ClusterIP ${res.clusterIP} is free again and every node's rules for it are gone`);
  }
  const created = await p.addService(req);
  console.log(json ? JSON.stringify(created, null, 2) : createdLine(created));
}

/** Runs `podnet service ...` on the embedded lab (a cluster refuses: it is read-only to PodNet). */
export async function serviceCommand(argv: string[], cluster?: ClusterSelection): Promise<number> {
  const { values, positionals } = parse(argv, SERVICE_OPTIONS, SERVICE_HELP);
  if (values.help) return void console.log(SERVICE_HELP), 0;
  const [sub, name, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, SERVICE_HELP);
  if (sub !== 'create' && sub !== 'delete') {
    throw new UsageError(sub ? `unknown service command "${sub}" (use create or delete)` : 'missing service command (create or delete)', SERVICE_HELP);
  }
  if (!name) throw new UsageError(`missing the Service NAME to ${sub}`, SERVICE_HELP);
  const format = outputFormat(values.output, ['text', 'json'] as const, 'text');
  if (sub === 'delete') {
    const given = Object.keys(SERVICE_OPTIONS).find((o) => o !== 'output' && values[o as keyof ServiceValues] !== undefined);
    if (given) throw new UsageError(`--${given} is for service create; service delete takes only the NAME`, SERVICE_HELP);
  }
  const req: ServiceRequest = sub === 'create' ? serviceRequestFrom(name, values) : { name, selector: {}, port: 0 };
  // Refuse before connecting: a connection to a cluster may start debug Pods, only to change nothing.
  if (cluster) throw new LabError(READ_ONLY_SERVICES, 'BAD_REQUEST');
  await withProvider(cluster, values.lab, (p) => changeService(p, sub, req, format === 'json'));
  return 0;
}
