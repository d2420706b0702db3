/** How kubectl writes a Service's ports, shared by `podnet get svc` and the VS Code tree. */

/** kubectl's PORT(S): `80/TCP`, `80:30080/TCP` with a NodePort, comma-separated; `<none>` when there is none. */
export function servicePortsText(ports: readonly { port: number; nodePort?: number; protocol: string }[]): string {
  return ports.map((p) => `${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}/${p.protocol.toUpperCase()}`).join(',') || '<none>';
}
