/// Label selectors: the grammar and messages of apimachinery `pkg/labels/selector.go`.
public enum SelectorOperator: String, Sendable, Hashable {
    case equals = "="
    case doubleEquals = "=="
    case notEquals = "!="
    case `in` = "in"
    case notIn = "notin"
    case exists = "exists"
    case doesNotExist = "!"
    case greaterThan = "gt"
    case lessThan = "lt"
}

public struct Requirement: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let op: SelectorOperator
    /// Sorted and de-duplicated, as `sets.String.List()` gives them.
    public let values: [String]

    public init(key: String, op: SelectorOperator, values: [String]) {
        self.key = key; self.op = op; self.values = Array(Set(values)).sorted()
    }

    /// NewRequirement's checks; `path` is the parser's nil path unless a caller supplies one.
    public static func validated(key: String, op: SelectorOperator, values: [String], path: FieldPath? = nil) throws(SelectorError) -> Requirement {
        var errs: [FieldError] = []
        let keyPath = path?.child("key") ?? FieldPath("key")
        let qn = NameRules.qualifiedName(key)
        if !qn.isEmpty { errs.append(.invalid(keyPath, key, qn.joined(separator: "; "))) }
        let valuePath = path?.child("values") ?? FieldPath("values")
        let vals = Array(Set(values)).sorted()
        switch op {
        case .in, .notIn:
            if vals.isEmpty { errs.append(.invalid(valuePath, .goSyntax("[]string{}"), "for 'in', 'notin' operators, values set can't be empty")) }
        case .equals, .doubleEquals, .notEquals:
            if vals.count != 1 { errs.append(.invalid(valuePath, .goSyntax(goStringSlice(vals)), "exact-match compatibility requires one single value")) }
        case .exists, .doesNotExist:
            if !vals.isEmpty { errs.append(.invalid(valuePath, .goSyntax(goStringSlice(vals)), "values set must be empty for exists and does not exist")) }
        case .greaterThan, .lessThan:
            if vals.count != 1 { errs.append(.invalid(valuePath, .goSyntax(goStringSlice(vals)), "for 'Gt', 'Lt' operators, exactly one value is required")) }
            for (i, v) in vals.enumerated() where Int64(v) == nil {
                errs.append(.invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
            }
        }
        for (i, v) in vals.enumerated() {
            let lv = NameRules.labelValue(v)
            if !lv.isEmpty { errs.append(.invalid(valuePath.index(i).key(key), v, lv.joined(separator: "; "))) }
        }
        if !errs.isEmpty { throw SelectorError(aggregate: errs.map(\.description)) }
        return Requirement(key: key, op: op, values: vals)
    }

    public func matches(_ labels: [String: String]) -> Bool {
        switch op {
        case .in, .equals, .doubleEquals:
            guard let v = labels[key] else { return false }
            return values.contains(v)
        case .notIn, .notEquals:
            guard let v = labels[key] else { return true }
            return !values.contains(v)
        case .exists: return labels[key] != nil
        case .doesNotExist: return labels[key] == nil
        case .greaterThan, .lessThan:
            guard let raw = labels[key], let lv = Int64(raw), values.count == 1, let rv = Int64(values[0]) else { return false }
            return op == .greaterThan ? lv > rv : lv < rv
        }
    }

    public var description: String {
        var s = op == .doesNotExist ? "!" : ""
        s += key
        switch op {
        case .equals: s += "="
        case .doubleEquals: s += "=="
        case .notEquals: s += "!="
        case .in: s += " in "
        case .notIn: s += " notin "
        case .greaterThan: s += ">"
        case .lessThan: s += "<"
        case .exists, .doesNotExist: return s
        }
        let joined = values.joined(separator: ",")
        return (op == .in || op == .notIn) ? s + "(" + joined + ")" : s + joined
    }
}

public func goStringSlice(_ v: [String]) -> String {
    "[]string{" + v.map(goQuote).joined(separator: ", ") + "}"
}

public struct SelectorError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    init(aggregate: [String]) {
        message = aggregate.count == 1 ? aggregate[0] : "[" + aggregate.joined(separator: ", ") + "]"
    }
    public var description: String { message }
}

/// A parsed label selector (all requirements ANDed). The empty selector matches everything.
public struct LabelSelectorExpression: Hashable, Sendable, CustomStringConvertible {
    public var requirements: [Requirement]
    public init(_ requirements: [Requirement]) {
        self.requirements = requirements.sorted { $0.key < $1.key }
    }
    public static let everything = LabelSelectorExpression([])
    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// A map selector (`Service.spec.selector`, `matchLabels`) as equality requirements.
    public init(equalities: [String: String]) {
        self.init(equalities.map { Requirement(key: $0.key, op: .equals, values: [$0.value]) })
    }

    /// `labels.Parse`: the `-l` grammar with the server's error messages.
    public static func parse(_ text: String) throws(SelectorError) -> LabelSelectorExpression {
        var parser = SelectorParser(text)
        return LabelSelectorExpression(try parser.parse())
    }
}

/// Lexer and recursive-descent parser ported from apimachinery, token for token, so that the
/// error messages name the same tokens.
struct SelectorParser {
    enum Token: Equatable {
        case error, endOfString, closedPar, comma, doesNotExist, doubleEquals, equals
        case greaterThan, identifier, inToken, lessThan, notEquals, notIn, openPar
    }
    struct Item { var tok: Token; var lit: String }

    private static let string2token: [String: Token] = [
        ")": .closedPar, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals,
        ">": .greaterThan, "in": .inToken, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openPar,
    ]

    private let bytes: [UInt8]
    private var items: [Item] = []
    private var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    private static func isWhitespace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }
    private static func isSpecial(_ c: UInt8) -> Bool {
        switch c { case 61, 33, 40, 41, 44, 62, 60: return true; default: return false }
    }

    private func lex(from start: Int) -> (Item, Int) {
        var i = start
        while i < bytes.count, Self.isWhitespace(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] != 0 else { return (Item(tok: .endOfString, lit: ""), i) }
        if Self.isSpecial(bytes[i]) {
            var buffer: [UInt8] = []
            var last: Item?
            while i < bytes.count, Self.isSpecial(bytes[i]) {
                buffer.append(bytes[i])
                let s = String(decoding: buffer, as: UTF8.self)
                if let t = Self.string2token[s] {
                    last = Item(tok: t, lit: s)
                    i += 1
                } else if last != nil {
                    break
                } else {
                    i += 1
                }
            }
            if let last { return (last, i) }
            return (Item(tok: .error, lit: "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'"), i)
        }
        var j = i
        while j < bytes.count, !Self.isWhitespace(bytes[j]), !Self.isSpecial(bytes[j]), bytes[j] != 0 { j += 1 }
        let s = String(decoding: bytes[i..<j], as: UTF8.self)
        if let t = Self.string2token[s] { return (Item(tok: t, lit: s), j) }
        return (Item(tok: .identifier, lit: s), j)
    }

    private mutating func scan() {
        var i = 0
        while true {
            let (item, next) = lex(from: i)
            items.append(item)
            i = next
            if item.tok == .endOfString { break }
            if item.tok == .error && next == i && next >= bytes.count { items.append(Item(tok: .endOfString, lit: "")); break }
        }
    }

    private enum Context { case keyAndOperator, values }

    private func lookahead(_ ctx: Context) -> Item {
        var item = items[position]
        if ctx == .values, item.tok == .inToken || item.tok == .notIn { item.tok = .identifier }
        return item
    }
    private mutating func consume(_ ctx: Context) -> Item {
        let item = lookahead(ctx)
        position += 1
        return item
    }

    mutating func parse() throws(SelectorError) -> [Requirement] {
        scan()
        var requirements: [Requirement] = []
        while true {
            let la = lookahead(.values)
            switch la.tok {
            case .identifier, .doesNotExist:
                let r: Requirement
                do { r = try parseRequirement() } catch { throw SelectorError("unable to parse requirement: \(error.message)") }
                requirements.append(r)
                let t = consume(.values)
                switch t.tok {
                case .endOfString: return requirements
                case .comma:
                    let t2 = lookahead(.values)
                    if t2.tok != .identifier && t2.tok != .doesNotExist {
                        throw SelectorError("found '\(t2.lit)', expected: identifier after ','")
                    }
                default:
                    throw SelectorError("found '\(t.lit)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            default:
                throw SelectorError("found '\(la.lit)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorError) -> Requirement {
        var op: SelectorOperator?
        var t = consume(.values)
        if t.tok == .doesNotExist {
            op = .doesNotExist
            t = consume(.values)
        }
        guard t.tok == .identifier else { throw SelectorError("found '\(t.lit)', expected: identifier") }
        let key = t.lit
        let qn = NameRules.qualifiedName(key)
        if !qn.isEmpty {
            throw SelectorError(FieldError.invalid(.none, key, qn.joined(separator: "; ")).description)
        }
        let next = lookahead(.values).tok
        if next == .endOfString || next == .comma, op == nil { op = .exists }
        if let op, op == .exists || op == .doesNotExist {
            return try Requirement.validated(key: key, op: op, values: [])
        }
        let opItem = consume(.keyAndOperator)
        let binary: SelectorOperator
        switch opItem.tok {
        case .inToken: binary = .in
        case .equals: binary = .equals
        case .doubleEquals: binary = .doubleEquals
        case .greaterThan: binary = .greaterThan
        case .lessThan: binary = .lessThan
        case .notIn: binary = .notIn
        case .notEquals: binary = .notEquals
        default: throw SelectorError("found '\(opItem.lit)', expected: in, notin, =, ==, !=, gt, lt")
        }
        let values: [String]
        switch binary {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        return try Requirement.validated(key: key, op: binary, values: values)
    }

    private mutating func parseValues() throws(SelectorError) -> [String] {
        let t = consume(.values)
        guard t.tok == .openPar else { throw SelectorError("found '\(t.lit)' expected: '('") }
        let la = lookahead(.values)
        switch la.tok {
        case .identifier, .comma:
            let s = try parseIdentifiersList()
            if consume(.values).tok != .closedPar { throw SelectorError("found '\(la.lit)', expected: ')'") }
            return s
        case .closedPar:
            _ = consume(.values)
            return [""]
        default:
            throw SelectorError("found '\(la.lit)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifiersList() throws(SelectorError) -> [String] {
        var s = Set<String>()
        while true {
            let t = consume(.values)
            switch t.tok {
            case .identifier:
                s.insert(t.lit)
                let t2 = lookahead(.values)
                switch t2.tok {
                case .comma: continue
                case .closedPar: return Array(s)
                default: throw SelectorError("found '\(t2.lit)', expected: ',' or ')'")
                }
            case .comma:
                if s.isEmpty { s.insert("") }
                let t2 = lookahead(.values)
                if t2.tok == .closedPar { s.insert(""); return Array(s) }
                if t2.tok == .comma { _ = consume(.values); s.insert("") }
            default:
                throw SelectorError("found '\(t.lit)', expected: ',', or identifier")
            }
        }
    }

    private mutating func parseExactValue() throws(SelectorError) -> [String] {
        let la = lookahead(.values)
        if la.tok == .endOfString || la.tok == .comma { return [""] }
        let t = consume(.values)
        if t.tok == .identifier { return [t.lit] }
        throw SelectorError("found '\(t.lit)', expected: identifier")
    }
}

/// metav1.LabelSelector: `matchLabels` + `matchExpressions` (Deployments, ReplicaSets).
public struct LabelSelector: Equatable, Hashable, Sendable {
    public struct Expression: Equatable, Hashable, Sendable {
        public var key: String
        public var op: String
        public var values: [String]?
        public init(key: String, op: String, values: [String]?) { self.key = key; self.op = op; self.values = values }
    }
    public var matchLabels: [String: String]?
    public var matchExpressions: [Expression]?
    public init(matchLabels: [String: String]? = nil, matchExpressions: [Expression]? = nil) {
        self.matchLabels = matchLabels; self.matchExpressions = matchExpressions
    }

    public var isEmpty: Bool { (matchLabels?.isEmpty ?? true) && (matchExpressions?.isEmpty ?? true) }

    /// LabelSelectorAsSelector.
    public func expression() throws(SelectorError) -> LabelSelectorExpression {
        var reqs: [Requirement] = []
        for (k, v) in matchLabels ?? [:] {
            reqs.append(try Requirement.validated(key: k, op: .equals, values: [v]))
        }
        for e in matchExpressions ?? [] {
            let op: SelectorOperator
            switch e.op {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default: throw SelectorError("\(goQuote(e.op)) is not a valid label selector operator")
            }
            reqs.append(try Requirement.validated(key: e.key, op: op, values: e.values ?? []))
        }
        return LabelSelectorExpression(reqs)
    }

    /// metav1.FormatLabelSelector (ReplicaSet wide SELECTOR, describe).
    public var formatted: String {
        guard let e = try? expression() else { return "<error>" }
        let s = e.description
        return s.isEmpty ? "<none>" : s
    }

    /// ValidateLabelSelector (unversioned validation): matchLabels, then matchExpressions.
    public func validate(at path: FieldPath) -> [FieldError] {
        var errs = Validation.labels(matchLabels ?? [:], at: path.child("matchLabels"))
        for (i, e) in (matchExpressions ?? []).enumerated() {
            let p = path.child("matchExpressions").index(i)
            switch e.op {
            case "In", "NotIn":
                if (e.values ?? []).isEmpty {
                    errs.append(.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !(e.values ?? []).isEmpty {
                    errs.append(.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                errs.append(.invalid(p.child("operator"), e.op, "not a valid selector operator"))
            }
            errs.append(contentsOf: Validation.labelKey(e.key, at: p.child("key")))
            for (j, v) in (e.values ?? []).enumerated() {
                let m = NameRules.labelValue(v)
                if !m.isEmpty { errs.append(.invalid(p.child("values").index(j), v, m.joined(separator: "; "))) }
            }
        }
        return errs
    }
}

/// `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty.
public func formatLabels(_ labels: [String: String]?) -> String {
    guard let labels, !labels.isEmpty else { return "<none>" }
    return labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
}
