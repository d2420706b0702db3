/** `Status` bodies exactly as kube-apiserver sends them with an error (the shape client-node and kubectl parse). */

/** A metav1.Status object. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string }[] };
  code?: number;
}

/** A failure Status with its HTTP code. */
export function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** 401 for a missing or unknown bearer token. */
export const unauthorized = (): StatusBody => failure(401, 'Unauthorized', 'Unauthorized');

/** 404 for a named object that does not exist. */
export const notFound = (resource: string, name: string): StatusBody =>
  failure(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

/** 403 the way RBAC phrases it, naming user, verb, resource and scope. */
export function forbidden(user: string, verb: string, resource: string, namespace?: string, name?: string, group = ''): StatusBody {
  const [base] = resource.split('/');
  const what = name ? `${base} "${name}"` : base;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return failure(403, 'Forbidden', `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`, {
    ...(name ? { name } : {}),
    kind: base,
  });
}

/** 410 Gone for a watch from a compacted resourceVersion. */
export const expired = (rv: number, oldest: number): StatusBody =>
  failure(410, 'Expired', `too old resource version: ${rv} (${oldest})`);
