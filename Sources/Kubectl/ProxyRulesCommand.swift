import ClusterEngine
import ClusterModel

/// `rules NODE`: the rules kube-proxy (v1.33) writes on a node — in iptables mode the text it
/// hands iptables-restore, grouped by chain; in nftables mode its `ip kube-proxy` table — so a
/// learner can read how a ClusterIP becomes a DNAT to a pod. svclab's own command: on a real kind node the same rules appear
/// (in iptables-save's spelling) through `docker exec NODE iptables-save`.
extension Session {
    func runRules(_ args: [String]) -> CommandOutput {
        var out = CommandOutput()
        let nodes = cluster.nodes.list().map(\.metadata.name)
        guard args.count == 1, !args[0].hasPrefix("-") else {
            out.fail("usage: rules NODE   (kube-proxy's iptables rules on one node; nodes: \(nodes.joined(separator: ", ")))", code: 2)
            return out
        }
        let name = args[0].hasPrefix("node/") ? String(args[0].dropFirst(5)) : args[0]
        guard cluster.nodes.get("", name) != nil else {
            out.fail("rules: no node \(goQuote(name)) (nodes: \(nodes.joined(separator: ", ")))")
            return out
        }
        switch cluster.proxyMode {
        case .iptables:
            out.out("# kube-proxy (iptables mode) on \(name): the rules it hands iptables-restore (pkg/proxy/iptables, v1.33)")
            out.outRaw(cluster.kubeProxyRules(node: name) ?? "")
        case .nftables:
            out.out("# kube-proxy (nftables mode) on \(name): its table as `nft list table ip kube-proxy` shows it (pkg/proxy/nftables, v1.33)")
            out.outRaw(cluster.kubeProxyNFTable(node: name)?.listText ?? "")
        }
        return out
    }
}
