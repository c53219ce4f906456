import Foundation
import Yams

/// YAML aliases may not multiply a small text into a huge document ("billion laughs"). Go's
/// yaml.v2 (which sigs.k8s.io/yaml and so kubectl and the apiserver use) counts the nodes it
/// decodes and those that came from alias expansion, and stops with "document contains
/// excessive aliasing" once aliases make up more than an allowed share (99% for documents up
/// to 400,000 nodes, falling to 10% at 4,000,000) of a document over 1,000 nodes with more
/// than 100 aliased ones (yaml.v2 decode.go, allowedAliasRatio). The same rule here, computed
/// without expanding anything: an aliased node is the very node its anchor named, so each
/// anchored node's expanded size is counted once and reused.
public enum AliasBudget {
    public static let message = "document contains excessive aliasing"

    /// Whether `root` stays within Go's budget. `root` must come from a `Yams.Parser` that is
    /// still alive (nodes hold their anchors weakly).
    public static func allows(_ root: Yams.Node) -> Bool {
        var walk = Walk()
        return walk.visit(root, aliased: false)
    }

    /// A mapping key that is (or holds) an alias, in a text that defines anchors: composing it
    /// hashes the whole aliased node, which a small text can make exponentially large, so it is
    /// refused before composing. Such a key is never valid here anyway — kubectl's YAML-to-JSON
    /// step takes only scalar keys ("invalid map key"), and scenario keys are strings. Returns
    /// the 1-based line of the first such key.
    public static func complexKeyLine(in text: String) -> Int? {
        guard text.utf8.contains(UInt8(ascii: "&")), text.utf8.contains(UInt8(ascii: "*")) || text.utf8.contains(UInt8(ascii: "?")) else { return nil }
        for pattern in hazards {
            if let m = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
               let r = Range(m.range, in: text) {
                return text[..<r.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            }
        }
        return nil
    }

    /// Explicit `? key`, an alias as an implicit key, a flow collection as an implicit key.
    /// No nested quantifiers: each is linear in the text.
    static let hazards: [NSRegularExpression] = [
        #"(^[ \t]*(- )*|[{,][ \t]*)\?([ \t]|$)"#,
        #"(^[ \t]*(- )*|[{,?][ \t]*)\*[A-Za-z0-9_-]+[ \t]*:([ \t]|$)"#,
        #"[\]}][ \t]*:([ \t]|$)"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }

    static func allowedRatio(_ decodeCount: Double) -> Double {
        let low = 400_000.0, high = 4_000_000.0
        if decodeCount <= low { return 0.99 }
        if decodeCount >= high { return 0.10 }
        return 0.99 - 0.89 * (decodeCount - low) / (high - low)
    }

    struct Walk {
        var decoded = 0.0
        var aliased = 0.0
        var seen = Set<ObjectIdentifier>()
        var sizes: [ObjectIdentifier: Double] = [:]

        static func anchor(of node: Yams.Node) -> Anchor? {
            switch node {
            case let .scalar(s): return s.anchor
            case let .mapping(m): return m.anchor
            case let .sequence(s): return s.anchor
            case .alias: return nil
            }
        }

        static func children(of node: Yams.Node) -> [Yams.Node] {
            switch node {
            case let .mapping(m): return m.flatMap { [$0.key, $0.value] }
            case let .sequence(s): return Array(s)
            default: return []
            }
        }

        /// Expanded node count, each anchored node computed once (saturates, never overflows).
        mutating func size(_ node: Yams.Node) -> Double {
            let id = Self.anchor(of: node).map(ObjectIdentifier.init)
            if let id, let known = sizes[id] { return known }
            var total = 1.0
            for child in Self.children(of: node) { total = min(total + size(child), 1e300) }
            if let id { sizes[id] = total }
            return total
        }

        var withinBudget: Bool {
            !(aliased > 100 && decoded > 1000 && aliased / decoded > AliasBudget.allowedRatio(decoded))
        }

        /// Walks in document order; a second meeting with an anchored node is an alias.
        mutating func visit(_ node: Yams.Node, aliased inAlias: Bool) -> Bool {
            if let anchor = Self.anchor(of: node) {
                let id = ObjectIdentifier(anchor)
                if seen.contains(id) {
                    let n = size(node)
                    decoded += n
                    aliased += n
                    return withinBudget
                }
                seen.insert(id)
            }
            decoded += 1
            if inAlias { aliased += 1 }
            for child in Self.children(of: node) where !visit(child, aliased: inAlias) { return false }
            return withinBudget
        }
    }
}
