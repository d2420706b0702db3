/** Pure parser for `bridge -j fdb show` into snapshot forwarding-database entries. */
import { cmp, compact, type RawJson } from './parseIp';
import type { SnapshotFdbEntry } from './types';

const str = (o: RawJson, key: string): string | undefined => (typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined);

/** Every fdb entry (`ifname` becomes `dev`; a vxlan entry keeps its remote VTEP as `dst`; empty state or flags left out), sorted by device then MAC. */
export function parseFdb(raw: RawJson[]): SnapshotFdbEntry[] {
  return raw
    .filter((e) => str(e, 'mac') && str(e, 'ifname'))
    .map((e) => {
      const flags = Array.isArray(e.flags) ? (e.flags as unknown[]).filter((f): f is string => typeof f === 'string') : [];
      return compact<SnapshotFdbEntry>({
        mac: str(e, 'mac')!,
        dev: str(e, 'ifname')!,
        master: str(e, 'master'),
        state: str(e, 'state'),
        flags: flags.length ? flags : undefined,
        vlan: typeof e.vlan === 'number' ? e.vlan : undefined,
        // on a vxlan device: the remote VTEP (underlay address) frames for this MAC are sent to
        dst: str(e, 'dst'),
      });
    })
    .sort((a, b) => cmp(a.dev, b.dev) || cmp(a.mac, b.mac) || cmp(a.master ?? '', b.master ?? '')
      || (a.vlan ?? -1) - (b.vlan ?? -1) || cmp((a.flags ?? []).join(','), (b.flags ?? []).join(',')) || cmp(a.state ?? '', b.state ?? '') || cmp(a.dst ?? '', b.dst ?? ''));
}
