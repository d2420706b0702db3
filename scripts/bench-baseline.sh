#!/bin/bash
# Baseline for `npm run bench`: the kernel work of `podnet lab up`, done by a plain sequential shell script.
#
#   scripts/bench-baseline.sh NODES PODS_PER_NODE     e.g. 3 50
#   scripts/bench-baseline.sh NODES N1,N2,...         Pods per node listed one by one, e.g. 2 2,1 (the article)
#
# Needs root. Everything happens inside `unshare --net --mount --pid --fork --kill-child --mount-proc`,
# with a tmpfs on /run for the namespace files and IPAM state, so the host is never touched;
# teardown is that sandbox exiting. Builds the wire0 bridge, one netns per node (eth0 veth on wire0,
# 192.168.1.(100+i)/24, forwarding, routes to the other nodes' 10.244.(i+1).0/24), then per Pod a
# netns + CNI loopback ADD + CNI bridge ADD (same netconf as src/providers/embedded/daemon/cni.ts,
# run inside the node netns), then one cross-node ping. No container processes are started.
# The last line is `baseline_up_seconds=S.SSS`, measured from this script's start (unshare included).
set -euo pipefail

if [ "${1:-}" != "__inner" ]; then
  [ $# -eq 2 ] || { echo "usage: $0 NODES PODS_PER_NODE|N1,N2,..." >&2; exit 2; }
  [ "$(id -u)" -eq 0 ] || { echo "$0 must run as root (it only touches its own sandbox namespaces)" >&2; exit 2; }
  start_ns=$(date +%s%N)
  exec unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private -- "$BASH" "$0" __inner "$start_ns" "$1" "$2"
fi

start_ns=$2 nodes=$3 pods_arg=$4
CNI=${CNI_PATH:-/usr/lib/cni}
BUSYBOX=$(command -v busybox)

mount -t tmpfs -o mode=0700 podnet-baseline /run
mkdir -p /run/netns /run/cni

# Pods per node: one number for every node, or a comma list.
IFS=, read -r -a per_node <<<"$pods_arg"
for ((i = ${#per_node[@]}; i < nodes; i++)); do per_node[i]=${per_node[$((${#per_node[@]} - 1))]}; done

# Physical network: a bridge in the sandbox's own namespace.
ip link set lo up
ip link add wire0 type bridge
ip link set wire0 up

# Nodes: netns, eth0 on the wire, address, forwarding, routes to the other nodes' Pod CIDRs.
for ((i = 0; i < nodes; i++)); do
  n=node$((i + 1))
  ip netns add "$n"
  ip link add "w-$n" type veth peer name eth0 netns "$n"
  ip -n "$n" link set lo up
  ip -n "$n" addr add "192.168.1.$((100 + i))/24" dev eth0
  ip -n "$n" link set eth0 up
  for ((j = 0; j < nodes; j++)); do
    [ "$j" -eq "$i" ] || ip -n "$n" route add "10.244.$((j + 1)).0/24" via "192.168.1.$((100 + j))" dev eth0
  done
  nsenter --net="/run/netns/$n" "$BUSYBOX" sysctl -q -w net.ipv4.ip_forward=1
  ip link set "w-$n" master wire0
  ip link set "w-$n" up
done

cni() { # cni PLUGIN NODE POD IFNAME NETCONF -> plugin stdout
  printf '%s' "$5" | CNI_COMMAND=ADD CNI_CONTAINERID="baseline-$3" CNI_NETNS="/run/netns/$3" CNI_IFNAME="$4" CNI_PATH="$CNI" \
    nsenter --net="/run/netns/$2" "$CNI/$1"
}

# Pods, one after the other: netns, CNI loopback ADD, CNI bridge ADD (executed "on the node").
declare -A first_ip
for ((i = 0; i < nodes; i++)); do
  n=node$((i + 1))
  mkdir -p "/run/cni/$n"
  netconf='{"cniVersion":"0.4.0","name":"cbr0","type":"bridge","bridge":"cbr0","isGateway":true,"ipMasq":false,"hairpinMode":false,'
  netconf+="\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.244.$((i + 1)).0/24\",\"dataDir\":\"/run/cni/$n\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}"
  for ((k = 1; k <= per_node[i]; k++)); do
    pod=$(printf 'p%d-%03d' $((i + 1)) "$k")
    ip netns add "$pod"
    cni loopback "$n" "$pod" lo '{"cniVersion":"0.4.0","name":"lo","type":"loopback"}' >/dev/null
    out=$(cni bridge "$n" "$pod" eth0 "$netconf")
    if [ "$k" -eq 1 ]; then
      addr=$(grep -o '"address": *"[0-9.]*' <<<"$out" | head -n1)
      first_ip[$n]=${addr##*\"}
    fi
  done
done

# One cross-node ping: first Pod of node1 -> first Pod of node2.
if [ "$nodes" -ge 2 ]; then
  nsenter --net=/run/netns/p1-001 "$BUSYBOX" ping -c1 -W2 "${first_ip[node2]}" >/dev/null
fi

end_ns=$(date +%s%N)
elapsed_ms=$(((end_ns - start_ns) / 1000000))
pods=0
for ((i = 0; i < nodes; i++)); do pods=$((pods + per_node[i])); done
echo "baseline: $nodes node(s), $pods Pod(s) up, cross-node ping ok"
printf 'baseline_up_seconds=%d.%03d\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
