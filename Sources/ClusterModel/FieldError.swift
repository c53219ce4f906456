/// A field path as the API server prints it: `spec.ports[0].name`, `values[0][app]`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    public private(set) var rendered: String
    public init(_ root: String = "") { rendered = root }
    public static let none = FieldPath("<nil>")

    public func child(_ name: String) -> FieldPath {
        if rendered.isEmpty || rendered == "<nil>" { return FieldPath(name) }
        return FieldPath(rendered + "." + name)
    }
    public func child(_ names: String...) -> FieldPath { names.reduce(self) { $0.child($1) } }
    public func index(_ i: Int) -> FieldPath { FieldPath((rendered == "<nil>" ? "" : rendered) + "[\(i)]") }
    public func key(_ k: String) -> FieldPath { FieldPath((rendered == "<nil>" ? "" : rendered) + "[\(k)]") }
    public var description: String { rendered }
}

/// How a bad value is shown after `Invalid value: `: Go's `%v` for numbers and bools, `%q`
/// for strings, `%#v` (pre-rendered) for everything else (Kubernetes ≤ 1.33).
public enum BadValue: Equatable, Sendable {
    case string(String)
    case number(Int64)
    case bool(Bool)
    case goSyntax(String)

    var rendered: String {
        switch self {
        case let .string(s): return goQuote(s)
        case let .number(n): return String(n)
        case let .bool(b): return b ? "true" : "false"
        case let .goSyntax(s): return s
        }
    }
}

/// One cause of an `Invalid` rejection, rendered exactly like apimachinery's field.Error.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalid = "Invalid value"
        case required = "Required value"
        case duplicate = "Duplicate value"
        case notSupported = "Unsupported value"
        case forbidden = "Forbidden"
        case tooLong = "Too long"
        case tooMany = "Too many"
        case internalError = "Internal error"
    }
    public var path: FieldPath
    public var kind: Kind
    public var value: BadValue?
    public var detail: String

    public init(_ kind: Kind, _ path: FieldPath, _ value: BadValue? = nil, _ detail: String = "") {
        self.kind = kind; self.path = path; self.value = value; self.detail = detail
    }

    public static func invalid(_ path: FieldPath, _ value: BadValue, _ detail: String) -> FieldError { .init(.invalid, path, value, detail) }
    public static func invalid(_ path: FieldPath, _ value: String, _ detail: String) -> FieldError { .init(.invalid, path, .string(value), detail) }
    public static func invalid(_ path: FieldPath, _ value: Int, _ detail: String) -> FieldError { .init(.invalid, path, .number(Int64(value)), detail) }
    public static func required(_ path: FieldPath, _ detail: String = "") -> FieldError { .init(.required, path, nil, detail) }
    public static func forbidden(_ path: FieldPath, _ detail: String) -> FieldError { .init(.forbidden, path, nil, detail) }
    public static func duplicate(_ path: FieldPath, _ value: BadValue) -> FieldError { .init(.duplicate, path, value, "") }
    public static func notSupported(_ path: FieldPath, _ value: String, _ supported: [String]) -> FieldError {
        let list = supported.map { goQuote($0) }.joined(separator: ", ")
        return .init(.notSupported, path, .string(value), supported.isEmpty ? "" : "supported values: \(list)")
    }

    /// `Invalid value: "x": detail` — the part after the field path.
    public var body: String {
        var s = kind.rawValue
        switch kind {
        case .required, .forbidden, .tooLong, .internalError: break
        default:
            if let value { s += ": " + value.rendered }
        }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }

    public var description: String { "\(path): \(body)" }
}

/// Go's `%q`: control characters (C0, DEL, C1) never reach the terminal raw.
public func goQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\u{0B}": out += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2, with: "0")
            } else if (0x80...0x9f).contains(scalar.value) || scalar.value == 0xfeff || (0x2028...0x2029).contains(scalar.value) {
                // Not printable in Go (unicode.IsPrint): \u escapes, as %q writes them.
                out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4, with: "0")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Go's `%#v` of a map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`.
public func goMapSyntax(_ map: [String: String]?) -> String {
    guard let map else { return "map[string]string(nil)" }
    let body = map.keys.sorted().map { "\(goQuote($0)):\(goQuote(map[$0]!))" }.joined(separator: ", ")
    return "map[string]string{\(body)}"
}

extension String {
    func leftPadded(to width: Int, with pad: Character) -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// The API server's 422 answer: what kubectl prints as `The Service "x" is invalid: …`.
public struct InvalidObjectError: Error, Equatable, Sendable {
    public var kind: String
    public var name: String
    public var causes: [FieldError]
    public init(kind: String, name: String, causes: [FieldError]) {
        self.kind = kind; self.name = name; self.causes = causes
    }

    /// The raw server message (what `kubectl create <generator>` wraps): `Service "x" is invalid: [a, b]`.
    public var serverMessage: String {
        let list = causes.count == 1 ? causes[0].description : "[" + causes.map(\.description).joined(separator: ", ") + "]"
        return "\(kind) \(goQuote(name)) is invalid: \(list)"
    }
}
