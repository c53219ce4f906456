import Foundation
import Yams

/// A decoded manifest document before it becomes a typed object: the JSON data model that the
/// API server sees after kubectl converts YAML to JSON (sigs.k8s.io/yaml). Object keys keep
/// their order so that error paths and re-serialisation follow the file.
public enum Value: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object([(String, Value)])

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            let bm = Dictionary(b, uniquingKeysWith: { x, _ in x })
            return a.allSatisfy { bm[$0.0] == $0.1 }
        default: return false
        }
    }

    public subscript(key: String) -> Value? {
        if case let .object(pairs) = self { return pairs.first(where: { $0.0 == key })?.1 }
        return nil
    }

    /// The object with `key` set to `value` (replaced in place, or appended).
    public func setting(_ key: String, _ value: Value) -> Value {
        guard case var .object(pairs) = self else { return .object([(key, value)]) }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var intValue: Int64? {
        switch self {
        case let .int(i): return i
        case let .double(d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var arrayValue: [Value]? { if case let .array(a) = self { return a }; return nil }
    public var objectValue: [(String, Value)]? { if case let .object(o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The JSON type name Go's encoding/json uses in "cannot unmarshal X into …" errors.
    public var jsonTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Compact JSON; `sortedKeys` mirrors Go's encoding of maps (kubectl's last-applied annotation).
    public func jsonString(sortedKeys: Bool = false) -> String {
        var out = ""
        writeJSON(into: &out, sortedKeys: sortedKeys)
        return out
    }

    private func writeJSON(into out: inout String, sortedKeys: Bool) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d):
            if d.rounded() == d && abs(d) < 1e15 { out += String(Int64(d)) } else { out += String(d) }
        case let .string(s): Value.appendQuoted(s, to: &out)
        case let .array(items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.writeJSON(into: &out, sortedKeys: sortedKeys)
            }
            out += "]"
        case let .object(pairs):
            out += "{"
            let ordered = sortedKeys ? pairs.sorted { $0.0 < $1.0 } : pairs
            for (i, (k, v)) in ordered.enumerated() {
                if i > 0 { out += "," }
                Value.appendQuoted(k, to: &out)
                out += ":"
                v.writeJSON(into: &out, sortedKeys: sortedKeys)
            }
            out += "}"
        }
    }

    /// Appends `s` JSON-quoted. Most strings need no escaping: those are appended whole (the
    /// scalar-by-scalar path made encoding a 1,000-pod list the API server's hottest code).
    static func appendQuoted(_ s: String, to out: inout String) {
        let plain = s.utf8.allSatisfy { b in b >= 0x20 && b != 0x22 && b != 0x5c && b != 0x3c && b != 0x3e && b != 0x26 }
        if plain {
            out += "\""
            out += s
            out += "\""
        } else {
            out += jsonQuote(s)
        }
    }

    public static func jsonQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A YAML or JSON text that could not be turned into documents. The message is the one
/// kubectl prints after `error parsing FILE: ` (sigs.k8s.io/yaml wording).
public struct DocumentSyntaxError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

public enum ValueLoader {
    /// Splits a (multi-document) YAML or JSON text into values. Empty documents are skipped,
    /// as kubectl does. YAML 1.1 scalars resolve like Go's yaml.v2 (`yes` is a bool).
    public static func documents(from text: String) throws(DocumentSyntaxError) -> [Value] {
        var result: [Value] = []
        do {
            if let line = AliasBudget.complexKeyLine(in: text) {
                throw DocumentSyntaxError("error converting YAML to JSON: yaml: line \(line): invalid map key: an alias or collection used as a key")
            }
            // The parser stays alive while its nodes are examined: they hold anchors weakly.
            let parser = try Yams.Parser(yaml: text)
            while let node = try parser.nextRoot() {
                guard AliasBudget.allows(node) else {
                    throw DocumentSyntaxError("error converting YAML to JSON: yaml: \(AliasBudget.message)")
                }
                let value = try convert(node)
                if !value.isNull { result.append(value) }
            }
        } catch let error as DocumentSyntaxError {
            throw error
        } catch let error as YamlError {
            throw DocumentSyntaxError(describe(error))
        } catch {
            throw DocumentSyntaxError("error converting YAML to JSON: yaml: \(error)")
        }
        return result
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return "error converting YAML to JSON: yaml: line \(mark.line): \(problem)\(where_.isEmpty ? "" : "")"
        case let .parser(context, problem, mark, _):
            _ = context
            return "error converting YAML to JSON: yaml: line \(mark.line): \(problem)"
        case let .composer(_, problem, mark, _):
            return "error converting YAML to JSON: yaml: line \(mark.line): \(problem)"
        default:
            return "error converting YAML to JSON: yaml: \(error)"
        }
    }

    static func convert(_ node: Yams.Node) throws(DocumentSyntaxError) -> Value {
        switch node {
        case let .scalar(scalar):
            return convertScalar(scalar, tag: node.tag)
        case let .sequence(seq):
            var items: [Value] = []
            items.reserveCapacity(seq.count)
            for child in seq { items.append(try convert(child)) }
            return .array(items)
        case let .mapping(map):
            var pairs: [(String, Value)] = []
            pairs.reserveCapacity(map.count)
            var seen = Set<String>()
            for (k, v) in map {
                let key: String
                switch convert(keyScalar: k) {
                case let .some(s): key = s
                case .none:
                    throw DocumentSyntaxError("error converting YAML to JSON: yaml: invalid map key: \(k)")
                }
                if !seen.insert(key).inserted {
                    let line = k.mark?.line ?? 0
                    throw DocumentSyntaxError("error converting YAML to JSON: yaml: unmarshal errors:\n  line \(line): key \(Value.jsonQuote(key)) already set in map")
                }
                pairs.append((key, try convert(v)))
            }
            return .object(pairs)
        case let .alias(alias):
            throw DocumentSyntaxError("error converting YAML to JSON: yaml: unknown anchor '\(alias.anchor.rawValue)' referenced")
        }
    }

    private static func convert(keyScalar node: Yams.Node) -> String? {
        guard case let .scalar(s) = node else { return nil }
        return s.string
    }

    private static func convertScalar(_ scalar: Yams.Node.Scalar, tag: Tag) -> Value {
        let s = scalar.string
        if scalar.style != .plain { return .string(s) }
        switch Tag.Name(rawValue: tag.rawValue) {
        case .null: return .null
        case .bool:
            return .bool(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].contains(s))
        case .int:
            if let i = Int64(s.replacingOccurrences(of: "_", with: "")) { return .int(i) }
            if let i = parseRadixInt(s) { return .int(i) }
            return .string(s)
        case .float:
            if let d = Double(s.replacingOccurrences(of: "_", with: "")) { return .double(d) }
            return .string(s)
        default:
            return .string(s)
        }
    }

    private static func parseRadixInt(_ raw: String) -> Int64? {
        var s = raw.replacingOccurrences(of: "_", with: "")
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        var value: Int64?
        if s.hasPrefix("0x") { value = Int64(s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0b") { value = Int64(s.dropFirst(2), radix: 2) }
        else if s.hasPrefix("0o") { value = Int64(s.dropFirst(2), radix: 8) }
        else if s.hasPrefix("0"), s.count > 1 { value = Int64(s.dropFirst(1), radix: 8) }
        guard let v = value else { return nil }
        return negative ? -v : v
    }
}
