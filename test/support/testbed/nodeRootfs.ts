/** The file list of the test bed's node image: host binaries, the libraries ldd names, CNI plugins, the web workload. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { run } from '../../../src/util/exec';

/** One file of the image: copied from the host (`from`) or written (`text`), at `path`, or a symlink to `link`. */
export type RootfsEntry =
  | { path: string; from: string; mode: number }
  | { path: string; text: string; mode: number }
  | { path: string; link: string };

/** Busybox applets the nodes get as commands (not ip, nsenter or unshare: the real ones are copied in). */
const APPLETS = [
  'sh', 'ash', 'cat', 'echo', 'ls', 'mkdir', 'rm', 'rmdir', 'sleep', 'ping', 'wget', 'nc', 'httpd', 'ps', 'kill',
  'killall', 'pidof', 'hostname', 'env', 'sed', 'grep', 'awk', 'head', 'tail', 'tr', 'date', 'true', 'false', 'mount',
  'umount', 'ln', 'cp', 'mv', 'chmod', 'id', 'printf', 'test', '[', 'seq', 'wc', 'cut', 'sort', 'uniq', 'uname',
  'timeout', 'xargs', 'find', 'stat', 'readlink', 'realpath', 'touch', 'tee', 'which', 'netstat', 'traceroute',
  'basename', 'dirname', 'setsid', 'nslookup', 'arping', 'usleep', 'expr', 'base64', 'start-stop-daemon',
];
/** Real tools (JSON output, netns handling) and where the image keeps them. */
const TOOLS: [name: string, dir: string][] = [['ip', '/usr/sbin'], ['bridge', '/usr/sbin'], ['nft', '/usr/sbin'], ['nsenter', '/usr/bin'], ['unshare', '/usr/bin']];
/** The CNI plugins a kind node has in /opt/cni/bin, plus bridge for the cbr0 variant. */
const CNI_PLUGINS = ['bridge', 'host-local', 'ptp', 'portmap', 'loopback'];
const CNI_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];
const BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Like agnhost's /clientip: the caller's address:port as the server saw them (so NAT would show); IPv4 without ::ffff:. */
const CLIENT_IP_CGI = [
  '#!/bin/sh',
  'a=${REMOTE_ADDR#[}; a=${a%]}; a=${a#::ffff:}',
  'printf \'Content-Type: text/plain\\r\\n\\r\\n%s:%s\\n\' "$a" "$REMOTE_PORT"',
  '',
].join('\n');
/** Like agnhost's /hostname: which Pod answered (POD_NAME is set when the workload starts). */
const HOSTNAME_CGI = '#!/bin/sh\nprintf \'Content-Type: text/plain\\r\\n\\r\\n%s\\n\' "$POD_NAME"\n';
/**
 * agnhost's own paths, /clientip and /hostname: busybox httpd redirects a directory URL to DIR/ and runs
 * /cgi-bin/index.cgi for it, which answers like the CGI of the same name.
 */
const INDEX_CGI = [
  '#!/bin/sh',
  'case "$REQUEST_URI" in',
  '  /clientip/*) exec /var/www/cgi-bin/clientip ;;',
  '  /hostname/*) exec /var/www/cgi-bin/hostname ;;',
  'esac',
  'printf \'Status: 404 Not Found\\r\\nContent-Type: text/plain\\r\\n\\r\\nnot found\\n\'',
  '',
].join('\n');

/**
 * The one script in the image: calls a CNI plugin once per stdin line, as containerd would per Pod sandbox, so a node's
 * Pods are wired in one `docker exec`. Values are only expanded inside double quotes, never evaluated.
 */
const CNI_BATCH = [
  '#!/bin/sh',
  '# podnet-cni PLUGIN CONFIG_JSON; stdin lines "COMMAND SANDBOX_ID NETNS_PATH CNI_ARGS"; prints "=== SANDBOX_ID EXIT" then the output.',
  'plugin="/opt/cni/bin/$1"',
  'while read -r cmd id netns args; do',
  '  out=$(printf \'%s\' "$2" | CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_NETNS="$netns" CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin CNI_ARGS="$args" "$plugin" 2>&1)',
  '  printf \'=== %s %s\\n%s\\n\' "$id" "$?" "$out"',
  'done',
  '',
].join('\n');

/** The host file for a command, or an error naming the Debian package to install. */
function findBin(name: string, dirs = BIN_DIRS): string {
  for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  throw new Error(`${name} is not installed on this machine, but the test bed's node image needs it: run \`node scripts/setup-system.mjs\` as root`);
}

/** Libraries (and the loader) a dynamic executable needs, as ldd lists them; [] for static ones (the Go CNI plugins). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const r = await run(['ldd', binary], { timeoutMs: 10_000 });
  if (r.code !== 0) return []; // "not a dynamic executable"
  const libs: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

/** Every file of the node image, in a stable order (the content hash depends on it). */
export async function nodeRootfsEntries(): Promise<RootfsEntry[]> {
  const entries: RootfsEntry[] = [
    { path: '/bin', link: 'usr/bin' }, { path: '/sbin', link: 'usr/sbin' },
    { path: '/lib', link: 'usr/lib' }, { path: '/lib64', link: 'usr/lib64' }, { path: '/var/run', link: '../run' },
    { path: '/etc/passwd', text: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644 },
    { path: '/etc/group', text: 'root:x:0:\n', mode: 0o644 },
    // Protocol names as a kind node (Debian, netbase) has them: nft lists `tcp`, not `6`, in concatenated map keys.
    { path: '/etc/protocols', text: 'icmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\nsctp\t132\tSCTP\n', mode: 0o644 },
    { path: '/var/www/index.html', text: 'podnet test bed\n', mode: 0o644 },
    { path: '/var/www/cgi-bin/clientip', text: CLIENT_IP_CGI, mode: 0o755 },
    { path: '/var/www/cgi-bin/hostname', text: HOSTNAME_CGI, mode: 0o755 },
    { path: '/var/www/cgi-bin/index.cgi', text: INDEX_CGI, mode: 0o755 },
    { path: '/var/www/clientip/.keep', text: '', mode: 0o644 },
    { path: '/var/www/hostname/.keep', text: '', mode: 0o644 },
    { path: '/usr/local/bin/podnet-cni', text: CNI_BATCH, mode: 0o755 },
  ];
  const busybox = findBin('busybox');
  const binaries: [from: string, to: string][] = [[busybox, '/usr/bin/busybox']];
  for (const [name, dir] of TOOLS) binaries.push([findBin(name), `${dir}/${name}`]);
  for (const plugin of CNI_PLUGINS) binaries.push([findBin(plugin, CNI_DIRS), `/opt/cni/bin/${plugin}`]);
  const libs = new Map<string, string>();
  for (const [from, to] of binaries) {
    entries.push({ path: to, from, mode: 0o755 });
    for (const lib of await sharedLibraries(from)) libs.set(join(realpathSync(dirname(lib)), basename(lib)), lib);
  }
  for (const [path, from] of [...libs].sort(([a], [b]) => a.localeCompare(b))) entries.push({ path, from, mode: 0o755 });
  for (const applet of APPLETS) entries.push({ path: `/usr/bin/${applet}`, link: 'busybox' });
  return entries;
}
