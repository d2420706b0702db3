/** The built-in workloads' scripts, written into the lab's private state dir at start-up. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// busybox httpd runs this CGI for "/" and, through the redirect to DIR/ it makes for the folders below, for
// agnhost netexec's /hostname (the Pod's name) and /clientip (IP:PORT as the server saw them), so a pack can ask the
// same paths on the embedded lab and on kind. "/" answers JSON: the Pod's name and IP come from the environment,
// as Kubernetes' downward API would give them; the source address is what the server's own socket saw, so a
// rewritten (NATed) source would show here.
const WEB_CGI = `#!/bin/sh
case "$REQUEST_URI" in
  /hostname/*) printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' "$POD_NAME"; exit 0 ;;
  /clientip/*) printf 'Content-Type: text/plain\\r\\n\\r\\n%s:%s\\n' "$REMOTE_ADDR" "\${REMOTE_PORT:-0}"; exit 0 ;;
esac
printf 'Content-Type: application/json\\r\\n\\r\\n'
printf '{"pod":"%s","node":"%s","container":"%s","podIP":"%s","port":%s,"sawSource":"%s","sawSourcePort":%s}\\n' \\
  "$POD_NAME" "$NODE_NAME" "$CONTAINER_NAME" "$POD_IP" "$CONTAINER_PORT" "$REMOTE_ADDR" "\${REMOTE_PORT:-0}"
`;
/** agnhost paths answered by the CGI above: busybox httpd runs cgi-bin/index.cgi only for a folder's URL. */
const AGNHOST_PATHS = ['hostname', 'clientip'];

// The sidecar asks its Pod's web container over localhost every few seconds and keeps the last answer.
const SIDECAR = `#!/bin/sh
while :; do
  if busybox timeout 3 busybox wget -q -O "$STATE_FILE.tmp" "$TARGET_URL"; then mv "$STATE_FILE.tmp" "$STATE_FILE"; fi
  busybox sleep "$INTERVAL"
done
`;

/** Paths of the installed workload files. */
export interface WorkloadFiles {
  /** Document root for busybox httpd (holds cgi-bin/index.cgi). */
  webRoot: string;
  sidecarScript: string;
  /** Folder for per-container logs and the sidecar's last answer. */
  podsDir: string;
}

/** Writes the workload scripts under `stateDir` and returns where they are. */
export function installWorkloadFiles(stateDir: string): WorkloadFiles {
  const webRoot = join(stateDir, 'www');
  mkdirSync(join(webRoot, 'cgi-bin'), { recursive: true });
  writeFileSync(join(webRoot, 'cgi-bin', 'index.cgi'), WEB_CGI);
  chmodSync(join(webRoot, 'cgi-bin', 'index.cgi'), 0o755);
  for (const p of AGNHOST_PATHS) mkdirSync(join(webRoot, p), { recursive: true });
  const binDir = join(stateDir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const sidecarScript = join(binDir, 'sidecar.sh');
  writeFileSync(sidecarScript, SIDECAR);
  chmodSync(sidecarScript, 0o755);
  const podsDir = join(stateDir, 'pods');
  mkdirSync(podsDir, { recursive: true });
  return { webRoot, sidecarScript, podsDir };
}
