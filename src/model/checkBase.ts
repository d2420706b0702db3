/** The shared ground of every topology rule checker: located errors, names, ranges, host addresses and ports. */
import { SpecError, SpecLocation } from './topology';
import { Cidr, broadcastAddress, cidrContains, formatCIDR, formatIPv4, parseCIDR, parseIPv4, unusableRangeIn } from './cidr';

/** RFC 1123 label, the rule Kubernetes applies to most object names. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** RFC 1035 label, the stricter rule Kubernetes applies to Service names (it starts with a letter). */
export const DNS_1035_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const NAME_HINT = 'use lowercase letters a-z, digits and "-", starting and ending with a letter or digit';
// Node, router and container names end up inside Linux interface, namespace and process names, which are short.
const MAX_NAME = {
  lab: 63, node: 12, Pod: 63, container: 15, 'Docker host': 63, 'Docker container': 63, Service: 63, client: 63, router: 12, subnet: 63,
} as const;

/** A kind of named thing in a topology, with its length limit. */
export type NamedKind = keyof typeof MAX_NAME;

/** Parses a CIDR without reporting; undefined when it is not one. */
export function tryParseCIDR(value: string): Cidr | undefined {
  try {
    return parseCIDR(value);
  } catch {
    return undefined; // the caller asked without reporting: the field's own check says what is wrong
  }
}

/** Collects located errors; '' values were already reported as missing and are skipped by every check. */
export class CheckBase {
  readonly errors: SpecError[] = [];

  constructor(protected readonly where: (field: string) => SpecLocation) {}

  protected fail(field: string, message: string, hint: string): void {
    this.errors.push(new SpecError(message, this.where(field), hint));
  }

  protected name(kind: NamedKind, name: string, field: string): void {
    if (name === '') return;
    const max = MAX_NAME[kind];
    if (name.length > max) this.fail(field, `${kind} name '${name}' is ${name.length} characters long; the limit is ${max}`, `shorten it to at most ${max} characters`);
    else if (!DNS_LABEL.test(name)) this.fail(field, `${kind} name '${name}' is not a valid DNS label`, NAME_HINT);
  }

  /** Parses a network or Pod range, refusing ranges the kernel reserves (loopback, multicast, ...). */
  protected cidr(value: string, field: string): Cidr | undefined {
    if (value === '') return undefined;
    let cidr: Cidr;
    try {
      cidr = parseCIDR(value);
    } catch (e) {
      this.fail(field, (e as Error).message, 'write a network address and a prefix length, such as 10.244.1.0/24');
      return undefined;
    }
    const reserved = unusableRangeIn(cidr);
    if (reserved) {
      this.fail(field, `${field} ${value} overlaps the ${reserved.name} ${reserved.cidr}, which no lab network or Pod can use`,
        'use a private range (RFC 1918): 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. 10.244.0.0/16 for Pods and 192.168.1.0/24 for nodes');
      return undefined;
    }
    return cidr;
  }

  /** Parses an address that must be a host of `network`; undefined when missing or unparsable (reported). */
  protected hostIp(value: string, field: string, who: string, network?: Cidr, networkName = 'the node network'): number | undefined {
    if (value === '') return undefined;
    let ip: number;
    try {
      ip = parseIPv4(value);
    } catch (e) {
      this.fail(field, (e as Error).message, 'write a dotted quad such as 192.168.1.100');
      return undefined;
    }
    if (network) {
      const net = formatCIDR(network);
      const range = `${formatIPv4(network.network + 1)}-${formatIPv4(Math.max(network.network + 1, broadcastAddress(network) - 1))}`;
      if (!cidrContains(network, ip)) this.fail(field, `${who} ip ${value} is outside ${networkName} ${net}`, `pick an address in ${range}`);
      else if (ip === network.network) this.fail(field, `${who} ip ${value} is the network address of ${net}`, `pick an address in ${range}`);
      else if (ip === broadcastAddress(network)) this.fail(field, `${who} ip ${value} is the broadcast address of ${net}`, `pick an address in ${range}`);
    }
    return ip;
  }

  /** Reports a port outside 1..65535; true when the port is usable. */
  protected portInRange(port: number, field: string, what: string): boolean {
    if (port >= 1 && port <= 65535) return true;
    this.fail(field, `${what} ${port} is out of range`, 'use a port from 1 to 65535');
    return false;
  }
}
