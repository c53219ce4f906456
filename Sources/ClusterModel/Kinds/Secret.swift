import Foundation

/// Secret (core/v1): data a pod reads as environment or files, base64 in the API. The cluster
/// only stores it. Rules from k8s.io/kubernetes pkg/apis/core/validation ValidateSecret (v1.33);
/// `stringData` is write-only: the v1 conversion merges it into `data` (base64), so it is never
/// stored or returned.
public enum SecretKind {
    public static let kind = "Secret"

    public static let description = ResourceDescription(
        kind: kind, plural: "secrets",
        stored: StoredKind(
            decodeFields: { r in
                var data: [(String, String)] = r.stringMap("data").map { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } } ?? []
                for (key, value) in data where Data(base64Encoded: value) == nil {
                    r.state.typeError = r.state.typeError ?? "illegal base64 data at input byte \(Base64Length.firstIllegalByte(value))"
                }
                if let stringData = r.stringMap("stringData") {
                    for (key, value) in stringData.sorted(by: { $0.key < $1.key }) {
                        data.removeAll { $0.0 == key }
                        data.append((key, Data(value.utf8).base64EncodedString()))
                    }
                    data.sort { $0.0 < $1.0 }
                }
                var fields: [(String, Value)] = []
                if !data.isEmpty { fields.append(("data", .object(data.map { ($0.0, .string($0.1)) }))) }
                if let immutable = r.bool("immutable") { fields.append(("immutable", .bool(immutable))) }
                // SetDefaults_Secret: an empty type is Opaque.
                let type = r.string("type") ?? ""
                fields.append(("type", .string(type.isEmpty ? "Opaque" : type)))
                return .object(fields)
            },
            validate: { secret in
                var errs: [FieldError] = []
                let data = ConfigMapKind.entries(secret, "data")
                for (key, _) in data {
                    for message in ConfigMapKind.configKeyErrors(key) { errs.append(.invalid(FieldPath("data").key(key), key, message)) }
                }
                let keys = Set(data.map(\.0))
                switch secret["type"]?.stringValue ?? "Opaque" {
                case "kubernetes.io/tls":
                    for required in ["tls.crt", "tls.key"] where !keys.contains(required) { errs.append(.required(FieldPath("data").key(required))) }
                case "kubernetes.io/basic-auth":
                    if !keys.contains("username") && !keys.contains("password") {
                        errs.append(.required(FieldPath("data").key("username")))
                        errs.append(.required(FieldPath("data").key("password")))
                    }
                case "kubernetes.io/ssh-auth":
                    if !keys.contains("ssh-privatekey") { errs.append(.required(FieldPath("data").key("ssh-privatekey"))) }
                case "kubernetes.io/dockerconfigjson":
                    if !keys.contains(".dockerconfigjson") { errs.append(.required(FieldPath("data").key(".dockerconfigjson"))) }
                default: break
                }
                let total = data.reduce(0) { $0 + Base64Length.decodedBytes($1.1.stringValue ?? "") }
                if total > 1_048_576 { errs.append(.init(.tooLong, FieldPath("data"), nil, "may not be more than 1048576 bytes")) }
                return errs
            },
            columns: ["NAME", "TYPE", "DATA", "AGE"],
            cells: { s, age in [s.metadata.name, s["type"]?.stringValue ?? "Opaque", String(ConfigMapKind.entries(s, "data").count), age] },
            describe: { s in
                // describeSecret: Type, then each key's decoded size (values are never shown).
                var lines = ["", "Type:\t\(s["type"]?.stringValue ?? "Opaque")", "", "Data", "===="]
                for (key, value) in ConfigMapKind.entries(s, "data") {
                    lines.append("\(key):\t\(Base64Length.decodedBytes(value.stringValue ?? "")) bytes")
                }
                return lines
            },
            hasEvents: false))
}

extension Base64Length {
    /// Where Go's base64 decoder stops on bad input ("illegal base64 data at input byte N").
    static func firstIllegalByte(_ s: String) -> Int {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let bytes = Array(s.utf8)
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "=") { return (i % 4 < 2) ? i : (bytes.count % 4 == 0 ? bytes.count : i) }
            if !alphabet.contains(b) && b != 10 && b != 13 { return i }
        }
        // Valid characters but a length that is not a multiple of 4: Go reports the end.
        return bytes.count / 4 * 4
    }
}
