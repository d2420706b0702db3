/**
 * `POST /api/v1/namespaces/NS/services` on the stand-in, as kube-apiserver answers it for what PodNet sends: the name and
 * ClusterIP are required (the stand-in allocates no ClusterIP or NodePort, PodNet always sets both), a taken ClusterIP or
 * NodePort is refused as the real allocators refuse it, and the defaults kube-apiserver fills in are filled in.
 */
import { failure, type StatusBody } from './status';
import type { ObjectStore, StoredObject } from './store';

type PortShape = { name?: string; protocol?: string; port?: number; targetPort?: number | string; nodePort?: number };
type SpecShape = { type?: string; clusterIP?: string; ports?: PortShape[]; externalTrafficPolicy?: string; selector?: Record<string, string> };

const invalid = (name: string, field: string, message: string): StatusBody =>
  failure(422, 'Invalid', `Service "${name}" is invalid: ${field}: ${message}`, { name, kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message }] });

/** The allocator conflicts kube-apiserver reports: a ClusterIP or NodePort another Service holds. */
function conflict(store: ObjectStore, name: string, spec: SpecShape): StatusBody | undefined {
  for (const other of store.list({ kind: 'Service' }).items) {
    const o = (other.spec ?? {}) as SpecShape;
    if (o.clusterIP === spec.clusterIP) return invalid(name, 'spec.clusterIPs', `Invalid value: ["${spec.clusterIP}"]: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
    for (const p of spec.ports ?? []) {
      if (p.nodePort !== undefined && (o.ports ?? []).some((q) => q.nodePort === p.nodePort)) {
        return invalid(name, 'spec.ports[0].nodePort', `Invalid value: ${p.nodePort}: provided port is already allocated`);
      }
    }
  }
  return undefined;
}

/** The Service as stored (with the server's defaults), or the Status kube-apiserver would answer instead. */
export function createService(store: ObjectStore, namespace: string, body: string): { created: StoredObject } | { refused: StatusBody } {
  let svc: StoredObject;
  try {
    svc = JSON.parse(body) as StoredObject;
  } catch (e) {
    return { refused: failure(400, 'BadRequest', `the body of the request was not valid JSON: ${(e as Error).message}`) };
  }
  const name = svc?.metadata?.name;
  if (typeof name !== 'string' || !name) return { refused: invalid('', 'metadata.name', 'Required value: name or generateName is required') };
  if (store.get('Service', namespace, name)) return { refused: failure(409, 'AlreadyExists', `services "${name}" already exists`, { name, kind: 'services' }) };
  const spec = (svc.spec ?? {}) as SpecShape;
  const type = spec.type ?? 'ClusterIP';
  if (type !== 'ClusterIP' && type !== 'NodePort') return { refused: invalid(name, 'spec.type', `Unsupported value: "${type}" (the stand-in serves ClusterIP and NodePort)`) };
  if (!spec.clusterIP) return { refused: invalid(name, 'spec.clusterIP', 'Required value: the stand-in allocates no ClusterIP; set one') };
  if (!spec.ports?.length) return { refused: invalid(name, 'spec.ports', 'Required value') };
  if (type === 'NodePort' && spec.ports.some((p) => p.nodePort === undefined)) return { refused: invalid(name, 'spec.ports[0].nodePort', 'Required value: the stand-in allocates no NodePort; set one') };
  const taken = conflict(store, name, spec);
  if (taken) return { refused: taken };
  svc.metadata.namespace = namespace;
  svc.spec = {
    ...spec, type, clusterIPs: [spec.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
    ports: spec.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
    ...(type === 'NodePort' ? { externalTrafficPolicy: spec.externalTrafficPolicy ?? 'Cluster' } : {}),
  };
  svc.status = { loadBalancer: {} };
  return { created: store.upsert('Service', svc) };
}
