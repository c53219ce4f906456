import ClusterModel
import Yams

/// kubectl's structured printers: `-o json` is Go's json.MarshalIndent (4 spaces, keys sorted,
/// HTML characters escaped); `-o yaml` is sigs.k8s.io/yaml (JSON → goyaml.v2): keys sorted,
/// sequences not indented under their key, strings quoted when they would read as another type.
public enum StructuredPrinter {
    /// `sortKeys: false`: fields in the order given — a typed Go object's struct order, as
    /// kubectl prints what it built itself (`create … --dry-run=client -o json`).
    public static func json(_ v: Value, sortKeys: Bool = true) -> String {
        var out = ""
        write(v, indent: 0, sortKeys: sortKeys, into: &out)
        return out + "\n"
    }

    private static func write(_ v: Value, indent: Int, sortKeys: Bool = true, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 4)
        switch v {
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 4, sortKeys: sortKeys, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case let .object(pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            let sorted = sortKeys ? pairs.sorted { $0.0 < $1.0 } : pairs
            for (i, (k, item)) in sorted.enumerated() {
                out += pad + Value.jsonQuote(k) + ": "
                write(item, indent: indent + 4, sortKeys: sortKeys, into: &out)
                out += i == sorted.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        default:
            out += v.jsonString()
        }
    }

    public static func yaml(_ v: Value) -> String {
        let node = toNode(v)
        return (try? Yams.serialize(node: node, indent: 2, width: 80, allowUnicode: true, sortKeys: false)) ?? ""
    }

    /// Strings that a YAML 1.1 reader would take for another type are double-quoted (goyaml.v2).
    public static func needsQuotes(_ s: String) -> Bool {
        if s.isEmpty { return true }
        // goyaml.v2's resolve table also reads y/Y/n/N as booleans (Yams's resolver does not).
        if ["y", "Y", "n", "N"].contains(s) { return true }
        let probe = Yams.Node(s)
        switch Tag.Name(rawValue: Resolver.default.resolveTag(of: probe).rawValue) {
        case .bool, .int, .float, .null, .timestamp, .merge, .value: return true
        default: return false
        }
    }

    static func toNode(_ v: Value) -> Yams.Node {
        switch v {
        case .null: return Yams.Node("null", Tag(.null), .plain)
        case let .bool(b): return Yams.Node(b ? "true" : "false", Tag(.bool), .plain)
        case let .int(i): return Yams.Node(String(i), Tag(.int), .plain)
        case let .double(d): return Yams.Node(d.rounded() == d ? String(Int64(d)) : String(d), Tag(.float), .plain)
        case let .string(s):
            if s.contains("\n") { return Yams.Node(s, Tag(.str), .literal) }
            return Yams.Node(s, Tag(.str), needsQuotes(s) ? .doubleQuoted : .any)
        case let .array(items):
            return Yams.Node(items.map(toNode), Tag(.seq), .block)
        case let .object(pairs):
            let sorted = pairs.sorted { $0.0 < $1.0 }
            return Yams.Node(sorted.map { (Yams.Node($0.0, Tag(.str), needsQuotes($0.0) ? .doubleQuoted : .any), toNode($0.1)) }, Tag(.map), .block)
        }
    }
}
