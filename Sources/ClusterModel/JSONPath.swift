/// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): text with `{…}` actions —
/// fields, `..` recursion, `[n]`, `[a:b]`, `[*]`, `['key']`, unions `[a,b]`, filters
/// `[?(@.x=="y")]`, `range … end`, and `"literals"`. Used by `-o jsonpath`, `-o custom-columns`,
/// `--sort-by` and `kubectl wait --for=jsonpath`.
public struct JSONPath: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case path([Segment])
        case literal(String)
        case range([Segment], body: [Node])
    }

    enum Segment: Sendable {
        case root, current
        case field(String)
        case wildcard
        case recursive(String?)          // `..name`, or `..` followed by `[…]` / `*`
        case index([Int?])               // `[0]`, `[0,2]`
        case slice(Int?, Int?, Int?)
        case keys([String])              // `['a']`, `['a','b']`
        case filter(Filter)
    }

    struct Filter: Sendable {
        var left: [Segment]
        var op: String?                  // nil: existence
        var right: Value?
        var rightPath: [Segment]?
    }

    public struct ParseError: Error, Equatable, Sendable {
        public var message: String
    }

    public struct ExecutionError: Error, Equatable, Sendable {
        public var message: String
    }

    let nodes: [Node]
    public let template: String
    /// `--allow-missing-template-keys` (kubectl's default true): a missing key prints nothing.
    public var allowMissingKeys = true

    public init(_ template: String) throws(ParseError) {
        self.template = template
        var parser = TemplateParser(Array(template))
        nodes = try parser.parseTemplate()
    }

    /// kubectl's RelaxedJSONPathExpression for custom-columns and --sort-by:
    /// `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`.
    public static func relaxed(_ expression: String) throws(ParseError) -> JSONPath {
        var e = expression
        if e.hasPrefix("{") && e.hasSuffix("}") { e = String(e.dropFirst().dropLast()) }
        if !e.hasPrefix(".") && !e.hasPrefix("$") && !e.hasPrefix("[") && !e.isEmpty { e = "." + e }
        if e.isEmpty { throw ParseError(message: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'") }
        return try JSONPath("{\(e)}")
    }

    /// Runs the template and prints like `JSONPath.Execute`.
    public func execute(_ root: Value) throws(ExecutionError) -> String {
        var out = ""
        try run(nodes, root: root, current: root, into: &out)
        return out
    }

    /// The values of a template that is one action (custom columns, sort keys, wait conditions).
    public func values(_ root: Value) throws(ExecutionError) -> [Value] {
        var results: [Value] = []
        for node in nodes {
            switch node {
            case let .path(segments): results += try evaluate(segments, root: root, current: [root])
            case let .literal(s): results.append(.string(s))
            case let .text(s): results.append(.string(s))
            case let .range(segments, body):
                for item in try evaluate(segments, root: root, current: [root]) {
                    for element in item.arrayValue ?? [item] {
                        for n in body { if case let .path(p) = n { results += try evaluate(p, root: root, current: [element]) } }
                    }
                }
            }
        }
        return results
    }

    private func run(_ nodes: [Node], root: Value, current: Value, into out: inout String) throws(ExecutionError) {
        for node in nodes {
            switch node {
            case let .text(s), let .literal(s): out += s
            case let .path(segments):
                let results = try evaluate(segments, root: root, current: [current])
                out += Self.print(results)
            case let .range(segments, body):
                for item in try evaluate(segments, root: root, current: [current]) {
                    // `range` walks the elements of an array (or the one value otherwise).
                    for element in item.arrayValue ?? [item] {
                        try run(body, root: root, current: element, into: &out)
                    }
                }
            }
        }
    }

    /// PrintResults: strings and numbers as text, maps and lists as compact JSON, one space between.
    public static func print(_ results: [Value]) -> String {
        results.map(text).joined(separator: " ")
    }

    public static func text(_ v: Value) -> String {
        switch v {
        case let .string(s): return s
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .double(d): return d.rounded() == d && abs(d) < 1e21 ? String(Int64(d)) : String(d)
        case .array, .object: return v.jsonString(sortedKeys: true)
        }
    }

    // MARK: Evaluation

    private func evaluate(_ segments: [Segment], root: Value, current: [Value]) throws(ExecutionError) -> [Value] {
        var values = current
        for segment in segments {
            var next: [Value] = []
            for v in values {
                switch segment {
                case .root: next.append(root)
                case .current: next.append(v)
                case let .field(name):
                    if let pairs = v.objectValue {
                        if let found = pairs.first(where: { $0.0 == name }) { next.append(found.1) }
                        else if !allowMissingKeys { throw ExecutionError(message: "\(name) is not found") }
                    }
                case .wildcard:
                    if let items = v.arrayValue { next += items }
                    else if let pairs = v.objectValue { next += pairs.sorted { $0.0 < $1.0 }.map(\.1) }
                case let .recursive(name):
                    next += Self.descendants(v).flatMap { d -> [Value] in
                        guard let name else { return [d] }
                        return d.objectValue?.first(where: { $0.0 == name }).map { [$0.1] } ?? []
                    }
                case let .index(indices):
                    guard let items = v.arrayValue else { continue }
                    for i in indices {
                        guard let i else { next += items; continue }
                        let k = i < 0 ? items.count + i : i
                        guard k >= 0, k < items.count else {
                            throw ExecutionError(message: "array index out of bounds: index \(i), length \(items.count)")
                        }
                        next.append(items[k])
                    }
                case let .slice(start, end, step):
                    guard let items = v.arrayValue else { continue }
                    let n = items.count
                    func clamp(_ x: Int?, _ fallback: Int) -> Int {
                        guard var x else { return fallback }
                        if x < 0 { x += n }
                        return Swift.max(0, Swift.min(n, x))
                    }
                    let s = clamp(start, 0), e = clamp(end, n), st = Swift.max(1, step ?? 1)
                    if s < e { next += stride(from: s, to: e, by: st).map { items[$0] } }
                case let .keys(keys):
                    guard let pairs = v.objectValue else { continue }
                    for key in keys {
                        if let found = pairs.first(where: { $0.0 == key }) { next.append(found.1) }
                    }
                case let .filter(f):
                    let items = v.arrayValue ?? [v]
                    for item in items where try matches(f, item, root: root) { next.append(item) }
                }
            }
            values = next
        }
        return values
    }

    private func matches(_ f: Filter, _ item: Value, root: Value) throws(ExecutionError) -> Bool {
        let left = try evaluate(f.left, root: root, current: [item])
        guard let op = f.op else { return !left.isEmpty }
        let rights: [Value] = if let p = f.rightPath { try evaluate(p, root: root, current: [item]) } else { f.right.map { [$0] } ?? [] }
        guard let l = left.first, let r = rights.first else { return false }
        switch op {
        case "==": return Self.compare(l, r) == 0
        case "!=": return Self.compare(l, r) != 0
        case "<": return (Self.compare(l, r) ?? 0) < 0
        case ">": return (Self.compare(l, r) ?? 0) > 0
        case "<=": return (Self.compare(l, r) ?? 1) <= 0
        case ">=": return (Self.compare(l, r) ?? -1) >= 0
        default: return false
        }
    }

    private static func compare(_ a: Value, _ b: Value) -> Int? {
        if let x = a.number, let y = b.number { return x < y ? -1 : (x > y ? 1 : 0) }
        if case let .string(x) = a, case let .string(y) = b { return x < y ? -1 : (x > y ? 1 : 0) }
        return a == b ? 0 : nil
    }

    private static func descendants(_ v: Value) -> [Value] {
        var out = [v]
        if let items = v.arrayValue { for i in items { out += descendants(i) } }
        if let pairs = v.objectValue { for (_, c) in pairs.sorted(by: { $0.0 < $1.0 }) { out += descendants(c) } }
        return out
    }
}

extension Value {
    public var number: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }
}

/// The template grammar of client-go's jsonpath parser, with its error messages.
private struct TemplateParser {
    let chars: [Character]
    var pos = 0
    init(_ chars: [Character]) { self.chars = chars }

    mutating func parseTemplate() throws(JSONPath.ParseError) -> [JSONPath.Node] {
        var stack: [(segments: [JSONPath.Segment], nodes: [JSONPath.Node])] = []
        var nodes: [JSONPath.Node] = []
        var text = ""
        while pos < chars.count {
            let c = chars[pos]
            guard c == "{" else { text.append(c); pos += 1; continue }
            if !text.isEmpty { nodes.append(.text(text)); text = "" }
            pos += 1
            guard let close = findClose() else { throw JSONPath.ParseError(message: "unclosed action") }
            let inside = String(chars[pos..<close]).trimmingCharacters(in: .whitespaces)
            pos = close + 1
            if inside == "end" {
                guard let open = stack.popLast() else { throw JSONPath.ParseError(message: "not in range, nothing to end") }
                let finished = JSONPath.Node.range(open.segments, body: nodes)
                nodes = open.nodes + [finished]
            } else if inside.hasPrefix("range ") || inside.hasPrefix("range\t") {
                let expr = String(inside.dropFirst(6)).trimmingCharacters(in: .whitespaces)
                var p = PathParser(Array(expr))
                stack.append((try p.parse(), nodes))
                nodes = []
            } else if inside.hasPrefix("\"") {
                nodes.append(.literal(try Self.unquote(inside)))
            } else if inside.isEmpty {
                continue
            } else {
                // Several paths separated by commas at the top level print one after another.
                for part in Self.splitTopLevel(inside) {
                    if part.hasPrefix("\"") { nodes.append(.literal(try Self.unquote(part))); continue }
                    var p = PathParser(Array(part))
                    nodes.append(.path(try p.parse()))
                }
            }
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        if !stack.isEmpty { throw JSONPath.ParseError(message: "unclosed range") }
        return nodes
    }

    /// The `}` that closes the action opened at `pos`, skipping quoted strings.
    func findClose() -> Int? {
        var i = pos
        var quote: Character? = nil
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "}" {
                return i
            }
            i += 1
        }
        return nil
    }

    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        var quote: Character? = nil
        for c in s {
            if let q = quote { current.append(c); if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'": quote = c; current.append(c)
            case "[", "(": depth += 1; current.append(c)
            case "]", ")": depth -= 1; current.append(c)
            case "," where depth == 0: parts.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            default: current.append(c)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    static func unquote(_ s: String) throws(JSONPath.ParseError) -> String {
        guard s.count >= 2, s.hasSuffix("\"") else { throw JSONPath.ParseError(message: "unterminated quoted string") }
        var out = "", escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}

private struct PathParser {
    let chars: [Character]
    var pos = 0
    init(_ chars: [Character]) { self.chars = chars }

    var atEnd: Bool { pos >= chars.count }
    var peek: Character? { atEnd ? nil : chars[pos] }

    mutating func parse() throws(JSONPath.ParseError) -> [JSONPath.Segment] {
        var segments: [JSONPath.Segment] = []
        while let c = peek {
            switch c {
            case "$": segments.append(.root); pos += 1
            case "@": segments.append(.current); pos += 1
            case ".":
                pos += 1
                if peek == "." {
                    pos += 1
                    if peek == "[" || peek == "*" { segments.append(.recursive(nil)); continue }
                    segments.append(.recursive(readName()))
                } else if peek == "*" {
                    pos += 1; segments.append(.wildcard)
                } else if let n = peek, n == "[" || n == "." || atEnd {
                    continue
                } else {
                    let name = readName()
                    if name.isEmpty { if atEnd { return segments }; throw JSONPath.ParseError(message: "unrecognized character in action: \(String(describing: peek!).unicodeScalars.first!.escaped(asASCII: false))") }
                    segments.append(.field(name))
                }
            case "[": segments.append(try readBracket())
            case " ": pos += 1
            default:
                if segments.isEmpty {
                    // A bare name at the start (`metadata.name`) reads as a field.
                    let name = readName()
                    if !name.isEmpty { segments.append(.field(name)); continue }
                }
                throw JSONPath.ParseError(message: "unrecognized character in action: U+\(String(c.unicodeScalars.first!.value, radix: 16, uppercase: true).leftPadded(to: 4, with: "0")) '\(c)'")
            }
        }
        return segments
    }

    /// A field name: letters, digits, `_`, `-`, `/`, and `\.` for a literal dot.
    mutating func readName() -> String {
        var name = ""
        while let c = peek {
            if c == "\\", pos + 1 < chars.count { name.append(chars[pos + 1]); pos += 2; continue }
            if c.isLetter || c.isNumber || c == "_" || c == "-" || c == "/" || c == ":" { name.append(c); pos += 1; continue }
            break
        }
        return name
    }

    mutating func readBracket() throws(JSONPath.ParseError) -> JSONPath.Segment {
        pos += 1
        var depth = 1, body = ""
        var quote: Character? = nil
        while let c = peek {
            pos += 1
            if let q = quote { if c == q { quote = nil }; body.append(c); continue }
            if c == "'" || c == "\"" { quote = c }
            if c == "[" { depth += 1 }
            if c == "]" { depth -= 1; if depth == 0 { break } }
            body.append(c)
        }
        guard depth == 0 else { throw JSONPath.ParseError(message: "unterminated array") }
        let b = body.trimmingCharacters(in: .whitespaces)
        if b == "*" { return .index([nil]) }
        if b.hasPrefix("?(") && b.hasSuffix(")") { return .filter(try parseFilter(String(b.dropFirst(2).dropLast()))) }
        if b.hasPrefix("'") || b.hasPrefix("\"") {
            return .keys(TemplateParser.splitTopLevel(b).map { String($0.dropFirst().dropLast()) })
        }
        if b.contains(":") {
            let parts = b.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .slice(parts[0], parts.count > 1 ? parts[1] : nil, parts.count > 2 ? parts[2] : nil)
        }
        var indices: [Int?] = []
        for part in b.split(separator: ",") {
            guard let i = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw JSONPath.ParseError(message: "invalid array index \(part)")
            }
            indices.append(i)
        }
        return .index(indices)
    }

    func parseFilter(_ text: String) throws(JSONPath.ParseError) -> JSONPath.Filter {
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if let r = text.range(of: op) {
                var left = PathParser(Array(text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)))
                let rightText = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
                var filter = JSONPath.Filter(left: try left.parse(), op: op, right: nil, rightPath: nil)
                if rightText.hasPrefix("'") || rightText.hasPrefix("\"") {
                    filter.right = .string(String(rightText.dropFirst().dropLast()))
                } else if let i = Int64(rightText) { filter.right = .int(i) }
                else if let d = Double(rightText) { filter.right = .double(d) }
                else if rightText == "true" || rightText == "false" { filter.right = .bool(rightText == "true") }
                else { var p = PathParser(Array(rightText)); filter.rightPath = try p.parse() }
                return filter
            }
        }
        var left = PathParser(Array(text.trimmingCharacters(in: .whitespaces)))
        return JSONPath.Filter(left: try left.parse(), op: nil, right: nil, rightPath: nil)
    }
}

import Foundation
