/** The kubeconfig context kind names after a cluster, in a module with no imports, so the extension can use it at activation. */

/** The context kind writes for cluster `name`: `kind-NAME`. */
export const kindContext = (name: string): string => `kind-${name}`;

/** The kind cluster a context belongs to (`kind-NAME` -> `NAME`), or undefined for any other context. */
export function kindClusterOf(context: string): string | undefined {
  return context.startsWith('kind-') ? context.slice('kind-'.length) : undefined;
}
