import ClusterModel

/// One entry of a node's connection-tracking table, as `conntrack -L` prints it: the original
/// direction as the client sent it (to the Service address) and the reply direction as the
/// endpoint answers (after kube-proxy's DNAT, and SNAT when the packet was marked for
/// masquerade). The NAT happens once, on the first packet; conntrack rewrites every later
/// packet of the connection from this entry, without going through the rules again.
public struct ConntrackEntry: Sendable, Equatable {
    public struct Tuple: Sendable, Equatable {
        public var src: String, dst: String, sport: Int, dport: Int
        var text: String { "src=\(src) dst=\(dst) sport=\(sport) dport=\(dport)" }
    }
    public var proto: String            // "tcp" or "udp"
    /// TCP's state (TIME_WAIT after a finished request, SYN_SENT when nothing answered,
    /// CLOSE after a reset); nil for UDP.
    public var state: String?
    public var original: Tuple
    public var reply: Tuple
    public var assured = false
    public var unreplied = false
    public var expires: Millis

    /// conntrack-tools 1.4.7's line: `tcp      6 117 TIME_WAIT src=… [ASSURED] mark=0 use=1`.
    public func line(now: Millis) -> String {
        let number = proto == "tcp" ? 6 : 17
        var s = proto.padding(toLength: 8, withPad: " ", startingAt: 0) + " \(number) \(max(0, (expires - now) / 1000)) "
        if let state { s += state + " " }
        s += original.text + " " + (unreplied ? "[UNREPLIED] " : "") + reply.text + " "
        if assured { s += "[ASSURED] " }
        return s + "mark=0 use=1"
    }
}

/// A request's connection entry and the node that holds it.
public struct TrackedConnection: Sendable, Equatable {
    public var node: String
    public var entry: ConntrackEntry
}

extension Cluster {
    /// nf_conntrack's timeouts for what svclab's requests leave behind.
    static let conntrackTimeWait: Millis = 120_000, conntrackSynSent: Millis = 120_000
    static let conntrackClose: Millis = 10_000, conntrackUDP: Millis = 30_000

    func recordConntrack(node: String, _ entry: ConntrackEntry) {
        guard !node.isEmpty else { return }
        var table = conntrackTables[node, default: []]
        table.removeAll { $0.expires <= clock.now }
        table.append(entry)
        conntrackTables[node] = table
    }

    /// The node's live entries, oldest first.
    public func conntrackEntries(node: String) -> [ConntrackEntry] {
        (conntrackTables[node] ?? []).filter { $0.expires > clock.now }
    }

    /// MASQUERADE --random-fully picks the source port; here one derived from the original, so
    /// the same session prints the same table.
    static func masqueradePort(_ port: Int) -> Int { 32768 + (port &* 7919) % 28232 }
}
