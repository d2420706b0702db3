/** Resolves each veth's other end to {namespace id, ifname} by lab adjacency, since a netnsid means nothing outside its namespace. */
import type { ParsedLink } from './parseIp';
import type { NamespaceKind, SnapshotLink } from './types';

/** What the resolver needs to know about one namespace. */
export interface PeerScope {
  id: string;
  kind: NamespaceKind;
  name: string;
  /** For a Pod: its node; for a container: its host. */
  node?: string;
  links: ParsedLink[];
}

/** The namespaces a veth in `ns` can lead to: Pod <-> its node, container <-> its host, node/host <-> wire. */
export function adjacentNamespaces(ns: PeerScope, all: readonly PeerScope[]): PeerScope[] {
  switch (ns.kind) {
    case 'pod':
      return all.filter((o) => o.kind === 'node' && o.name === ns.node);
    case 'container':
      return all.filter((o) => o.kind === 'host' && o.name === ns.node);
    case 'node':
      return all.filter((o) => (o.kind === 'pod' && o.node === ns.name) || o.kind === 'wire');
    case 'host':
      return all.filter((o) => (o.kind === 'container' && o.node === ns.name) || o.kind === 'wire');
    case 'wire':
      return all.filter((o) => o.kind === 'node' || o.kind === 'host' || o.kind === 'client' || o.kind === 'router');
    case 'client':
    case 'router':
      return all.filter((o) => o.kind === 'wire');
  }
}

interface Candidate {
  ns: PeerScope;
  link: ParsedLink;
}

/** Links in the candidate namespaces that point back at `pl`: their ifindex is its link_index and their link_index its ifindex. */
function candidatesFor(ns: PeerScope, pl: ParsedLink, all: readonly PeerScope[]): Candidate[] {
  // No netnsid: the peer lives in this same namespace.
  const places = pl.linkNetnsid === undefined ? [ns] : adjacentNamespaces(ns, all);
  const out: Candidate[] = [];
  for (const other of places) {
    for (const l of other.links) {
      if (l === pl || l.link.kind !== 'veth') continue;
      if (l.link.ifindex === pl.linkIndex && l.linkIndex === pl.link.ifindex) out.push({ ns: other, link: l });
    }
  }
  return out;
}

/**
 * Returns every namespace's links (same order) with `peer` set where exactly one candidate matches, else `peerIfindex`.
 * Ambiguous links get a second chance: within one namespace a netnsid always names the same peer namespace,
 * so a netnsid learnt from an unambiguous veth narrows the candidates of the others.
 */
export function resolvePeers(namespaces: readonly PeerScope[]): Map<string, SnapshotLink[]> {
  const found = new Map<ParsedLink, Candidate[]>();
  const netnsidOwner = new Map<string, string>(); // `${ns.id}#${netnsid}` -> peer namespace id
  for (const ns of namespaces) {
    for (const pl of ns.links) {
      if (pl.link.kind !== 'veth' || pl.linkIndex === undefined) continue;
      const cands = candidatesFor(ns, pl, namespaces);
      found.set(pl, cands);
      if (cands.length === 1 && pl.linkNetnsid !== undefined) netnsidOwner.set(`${ns.id}#${pl.linkNetnsid}`, cands[0].ns.id);
    }
  }
  const result = new Map<string, SnapshotLink[]>();
  for (const ns of namespaces) {
    result.set(ns.id, ns.links.map((pl) => {
      const link: SnapshotLink = { ...pl.link };
      delete link.peer;
      delete link.peerIfindex;
      let cands = found.get(pl);
      if (!cands) return link;
      if (cands.length > 1 && pl.linkNetnsid !== undefined) {
        const owner = netnsidOwner.get(`${ns.id}#${pl.linkNetnsid}`);
        if (owner) cands = cands.filter((c) => c.ns.id === owner);
      }
      if (cands.length === 1) link.peer = { namespace: cands[0].ns.id, ifname: cands[0].link.link.name };
      else link.peerIfindex = pl.linkIndex;
      return link;
    }));
  }
  return result;
}
