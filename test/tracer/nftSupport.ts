/** Loads the recorded nft listings (test/fixtures/nft, see its README) and walks a packet through one namespace's hooks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotFilter } from '../../src/snapshot/types';
import { evaluateHook, type HookResult, type NftContext } from '../../src/tracer/nftEval';
import { type NftRuleset, readRuleset } from '../../src/tracer/nftRules';
import type { PacketHeaders } from '../../src/tracer/types';

const DIR = join(__dirname, '..', 'fixtures', 'nft');

/** A recorded fixture file's text. */
export const fixtureText = (name: string): string => readFileSync(join(DIR, name), 'utf8');

/** A filter section as the snapshot holds it, from a recorded `nft -j list ruleset`. */
export function nftFilter(name: string): SnapshotFilter {
  const parsed = JSON.parse(fixtureText(name)) as { nftables: unknown[] };
  return { tool: 'nft', nft: parsed.nftables };
}

/** The ruleset of a recorded listing. */
export const ruleset = (name: string): NftRuleset => readRuleset(nftFilter(name));

/** A new TCP connection's first packet. */
export function tcp(srcIP: string, dstIP: string, dstPort: number): PacketHeaders {
  return { srcIP, dstIP, proto: 'tcp', srcPort: 40000, dstPort, ttl: 64 };
}

/** Runs one hook of the ip/inet families. */
export function hook(rs: NftRuleset, name: string, ctx: NftContext, masq?: string): HookResult {
  return evaluateHook(rs, ['ip', 'inet'], name, ctx, masq);
}

/** What a forwarding namespace does to a packet: prerouting, forward (when not dropped), postrouting, the mark carried across. */
export interface Forwarded {
  pre: HookResult;
  forward?: HookResult;
  post?: HookResult;
  packet: PacketHeaders;
}

/** Prerouting, forward and postrouting in one namespace, as the kernel runs them for a forwarded packet. */
export function forward(rs: NftRuleset, ctx: NftContext & { iifname: string; oifname: string }, masq: string): Forwarded {
  const pre = hook(rs, 'prerouting', ctx);
  if (pre.verdict === 'drop') return { pre, packet: pre.packet };
  const ctStatus = pre.changes.some((c) => c.field === 'dstIP' || c.field === 'dstPort') ? ['dnat'] : [];
  const fwd = hook(rs, 'forward', { ...ctx, packet: pre.packet, mark: pre.mark, ctStatus });
  if (fwd.verdict === 'drop') return { pre, forward: fwd, packet: fwd.packet };
  const post = hook(rs, 'postrouting', { ...ctx, packet: fwd.packet, mark: fwd.mark, ctStatus }, masq);
  return { pre, forward: fwd, post, packet: post.packet };
}
