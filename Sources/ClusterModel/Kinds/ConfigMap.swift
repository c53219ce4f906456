/// ConfigMap (core/v1): data a pod reads as environment or files. The cluster only stores it,
/// so the whole kind is this file and one line in `ResourceRegistry.all` (the proof that a new
/// kind is a file). Rules from k8s.io/kubernetes pkg/apis/core/validation ValidateConfigMap.
public enum ConfigMapKind {
    public static let kind = "ConfigMap"

    public static let description = ResourceDescription(
        kind: kind, plural: "configmaps", shortNames: ["cm"],
        stored: StoredKind(
            decodeFields: { r in
                var fields: [(String, Value)] = []
                if let data = r.stringMap("data") { fields.append(("data", .object(data.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
                if let binary = r.stringMap("binaryData") { fields.append(("binaryData", .object(binary.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
                if let immutable = r.bool("immutable") { fields.append(("immutable", .bool(immutable))) }
                return .object(fields)
            },
            validate: { cm in
                var errs: [FieldError] = []
                var seen = Set<String>()
                for field in ["data", "binaryData"] {
                    guard case let .object(pairs)? = cm[field] else { continue }
                    for (key, _) in pairs {
                        for message in configKeyErrors(key) { errs.append(.invalid(FieldPath(field).key(key), key, message)) }
                        if !seen.insert(key).inserted {
                            errs.append(.invalid(FieldPath(field).key(key), key, "duplicate of key present in data"))
                        }
                    }
                }
                return errs
            },
            columns: ["NAME", "DATA", "AGE"],
            cells: { cm, age in [cm.metadata.name, String(entries(cm, "data").count + entries(cm, "binaryData").count), age] },
            describe: { cm in
                var lines = ["", "Data", "===="]
                for (key, value) in entries(cm, "data") {
                    lines += ["\(key):", "----", value.stringValue ?? "", ""]
                }
                lines += ["", "BinaryData", "===="]
                for (key, value) in entries(cm, "binaryData") {
                    lines += ["\(key): \(Base64Length.decodedBytes(value.stringValue ?? "")) bytes"]
                }
                lines.append("")
                return lines
            }))

    /// The first reason a key is refused (kubectl's generator checks keys before sending).
    public static func keyProblem(_ key: String) -> String? { configKeyErrors(key).first }

    static func entries(_ cm: StoredObject, _ field: String) -> [(String, Value)] {
        if case let .object(pairs)? = cm[field] { return pairs }
        return []
    }

    /// IsConfigMapKey: 1–253 characters of [-._a-zA-Z0-9], not "." or "..", not starting "..".
    static func configKeyErrors(_ key: String) -> [String] {
        var errs: [String] = []
        if key.count > 253 { errs.append("must be no more than 253 characters") }
        if key.isEmpty || !key.unicodeScalars.allSatisfy({ CharacterClasses.configKey.contains($0) }) {
            errs.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
        }
        if key == "." { errs.append("must not be '.'") }
        else if key == ".." { errs.append("must not be '..'") }
        else if key.hasPrefix("..") { errs.append("must not start with '..'") }
        return errs
    }
}

enum CharacterClasses {
    static let configKey: Set<Unicode.Scalar> = Set("-._abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".unicodeScalars)
}

/// The size of base64 data once decoded (describe prints binary values by size).
enum Base64Length {
    static func decodedBytes(_ s: String) -> Int {
        let body = s.filter { $0 != "\n" && $0 != "\r" }
        let padding = body.reversed().prefix { $0 == "=" }.count
        return max(0, body.count / 4 * 3 - padding)
    }
}
