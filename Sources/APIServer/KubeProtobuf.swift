import Foundation
import ClusterModel

/// kubectl ≥ 1.32's typed generators (`create deployment|service|namespace|configmap`, `run`,
/// `debug node/…`) send
/// `application/vnd.kubernetes.protobuf` bodies: the magic `k8s\0`, a runtime.Unknown envelope
/// (1 typeMeta, 2 raw), and the object in gogo-protobuf wire format. This reads the messages
/// those generators fill into the JSON data model the rest of the API handles; fields it does
/// not know are skipped by wire type. Field numbers: k8s.io/api's generated.proto (v1.33),
/// checked against bodies captured from the real kubectl 1.33 (Tests/APIServerTests).
///
/// gogo-protobuf writes every non-pointer field, zero or not; as in JSON's omitempty, zero
/// values of those are dropped, while pointer fields (`.optionalInt`) are kept when present.
enum KubeProtobuf {
    static let contentType = "application/vnd.kubernetes.protobuf"
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    struct DecodeError: Error, Equatable { var message: String }

    indirect enum Field {
        case string, int, optionalInt, bool, map, strings, intOrString, quantities
        /// map<string, bytes> (a Secret's data): the JSON form holds the bytes base64-encoded.
        case bytesMap
        case message(Schema)
        case messages(Schema)
        /// A message whose fields JSON puts in the parent (a Volume's VolumeSource).
        case inlined(Schema)
    }
    typealias Schema = [Int: (name: String, field: Field)]

    /// The object in a protobuf body, as JSON-shaped `Value` with apiVersion and kind.
    static func decode(_ body: [UInt8]) throws(DecodeError) -> Value {
        guard body.count >= 4, Array(body[0..<4]) == magic else { throw DecodeError(message: "not a Kubernetes protobuf body (no k8s\\0 prefix)") }
        var reader = WireReader(bytes: body[4...])
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        while let (number, wire) = try reader.nextKey() {
            switch (number, wire) {
            case (1, .lengthDelimited):
                var meta = WireReader(bytes: try reader.lengthDelimited())
                while let (n, w) = try meta.nextKey() {
                    if n == 1, w == .lengthDelimited { apiVersion = String(decoding: try meta.lengthDelimited(), as: UTF8.self) }
                    else if n == 2, w == .lengthDelimited { kind = String(decoding: try meta.lengthDelimited(), as: UTF8.self) }
                    else { try meta.skip(w) }
                }
            case (2, .lengthDelimited): raw = try reader.lengthDelimited()
            default: try reader.skip(wire)
            }
        }
        guard let schema = topLevel[kind] else {
            throw DecodeError(message: "svclab does not decode protobuf bodies of kind \(goQuote(kind)) yet; send JSON (kubectl apply -f / create -f)")
        }
        var pairs: [(String, Value)] = [("apiVersion", .string(apiVersion)), ("kind", .string(kind))]
        if case let .object(fields) = try message(raw, schema) { pairs += fields }
        return .object(pairs)
    }

    static func message(_ bytes: ArraySlice<UInt8>, _ schema: Schema) throws(DecodeError) -> Value {
        var reader = WireReader(bytes: bytes)
        var pairs: [(String, Value)] = []
        func append(_ name: String, _ v: Value) {
            // Repeated fields and map entries arrive one per key: gather them.
            if let i = pairs.firstIndex(where: { $0.0 == name }) {
                switch (pairs[i].1, v) {
                case let (.array(a), .array(b)): pairs[i].1 = .array(a + b)
                case let (.object(a), .object(b)): pairs[i].1 = .object(a + b)
                default: pairs[i].1 = v
                }
            } else {
                pairs.append((name, v))
            }
        }
        while let (number, wire) = try reader.nextKey() {
            guard let (name, field) = schema[number] else { try reader.skip(wire); continue }
            switch (field, wire) {
            case (.string, .lengthDelimited):
                let s = String(decoding: try reader.lengthDelimited(), as: UTF8.self)
                if !s.isEmpty { append(name, .string(s)) }
            case (.int, .varint):
                let n = Int64(bitPattern: try reader.varint())
                if n != 0 { append(name, .int(Int64(Int32(truncatingIfNeeded: n)))) }
            case (.optionalInt, .varint):
                append(name, .int(Int64(Int32(truncatingIfNeeded: Int64(bitPattern: try reader.varint())))))
            case (.bool, .varint):
                if try reader.varint() != 0 { append(name, .bool(true)) }
            case (.strings, .lengthDelimited):
                append(name, .array([.string(String(decoding: try reader.lengthDelimited(), as: UTF8.self))]))
            case (.map, .lengthDelimited):
                var entry = WireReader(bytes: try reader.lengthDelimited())
                var key = "", value = ""
                while let (n, w) = try entry.nextKey() {
                    if n == 1, w == .lengthDelimited { key = String(decoding: try entry.lengthDelimited(), as: UTF8.self) }
                    else if n == 2, w == .lengthDelimited { value = String(decoding: try entry.lengthDelimited(), as: UTF8.self) }
                    else { try entry.skip(w) }
                }
                append(name, .object([(key, .string(value))]))
            case (.bytesMap, .lengthDelimited):
                var entry = WireReader(bytes: try reader.lengthDelimited())
                var key = "", value: [UInt8] = []
                while let (n, w) = try entry.nextKey() {
                    if n == 1, w == .lengthDelimited { key = String(decoding: try entry.lengthDelimited(), as: UTF8.self) }
                    else if n == 2, w == .lengthDelimited { value = Array(try entry.lengthDelimited()) }
                    else { try entry.skip(w) }
                }
                append(name, .object([(key, .string(Data(value).base64EncodedString()))]))
            case (.quantities, .lengthDelimited):
                // map<string, Quantity>; Quantity is { 1: string }.
                var entry = WireReader(bytes: try reader.lengthDelimited())
                var key = "", value = ""
                while let (n, w) = try entry.nextKey() {
                    if n == 1, w == .lengthDelimited { key = String(decoding: try entry.lengthDelimited(), as: UTF8.self) }
                    else if n == 2, w == .lengthDelimited {
                        var q = WireReader(bytes: try entry.lengthDelimited())
                        while let (qn, qw) = try q.nextKey() {
                            if qn == 1, qw == .lengthDelimited { value = String(decoding: try q.lengthDelimited(), as: UTF8.self) } else { try q.skip(qw) }
                        }
                    } else { try entry.skip(w) }
                }
                append(name, .object([(key, .string(value))]))
            case (.intOrString, .lengthDelimited):
                var ios = WireReader(bytes: try reader.lengthDelimited())
                var type: UInt64 = 0, intVal: Int64 = 0, strVal = ""
                while let (n, w) = try ios.nextKey() {
                    switch (n, w) {
                    case (1, .varint): type = try ios.varint()
                    case (2, .varint): intVal = Int64(Int32(truncatingIfNeeded: Int64(bitPattern: try ios.varint())))
                    case (3, .lengthDelimited): strVal = String(decoding: try ios.lengthDelimited(), as: UTF8.self)
                    default: try ios.skip(w)
                    }
                }
                append(name, type == 1 ? .string(strVal) : .int(intVal))
            case let (.message(sub), .lengthDelimited):
                let v = try message(try reader.lengthDelimited(), sub)
                if case let .object(p) = v, p.isEmpty { continue }
                append(name, v)
            case let (.messages(sub), .lengthDelimited):
                append(name, .array([try message(try reader.lengthDelimited(), sub)]))
            case let (.inlined(sub), .lengthDelimited):
                if case let .object(fields) = try message(try reader.lengthDelimited(), sub) { for (k, v) in fields { append(k, v) } }
            default:
                try reader.skip(wire)
            }
        }
        return .object(pairs)
    }

    // MARK: Schemas (generated.proto field numbers)

    static let objectMeta: Schema = [1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string),
                                     11: ("labels", .map), 12: ("annotations", .map), 14: ("finalizers", .strings)]
    static let labelSelector: Schema = [1: ("matchLabels", .map),
                                        2: ("matchExpressions", .messages([1: ("key", .string), 2: ("operator", .string), 3: ("values", .strings)]))]
    static let container: Schema = [
        1: ("name", .string), 2: ("image", .string), 3: ("command", .strings), 4: ("args", .strings), 5: ("workingDir", .string),
        6: ("ports", .messages([1: ("name", .string), 2: ("hostPort", .int), 3: ("containerPort", .int), 4: ("protocol", .string), 5: ("hostIP", .string)])),
        7: ("env", .messages([1: ("name", .string), 2: ("value", .string)])),
        8: ("resources", .message([1: ("limits", .quantities), 2: ("requests", .quantities)])),
        13: ("terminationMessagePath", .string), 14: ("imagePullPolicy", .string),
        9: ("volumeMounts", .messages([1: ("name", .string), 2: ("readOnly", .bool), 3: ("mountPath", .string), 4: ("subPath", .string)])),
        16: ("stdin", .bool), 17: ("stdinOnce", .bool), 18: ("tty", .bool), 20: ("terminationMessagePolicy", .string),
    ]
    /// Volume { 1 name, 2 VolumeSource (inline in JSON) }: the sources a lab's pods use.
    static let volume: Schema = [1: ("name", .string), 2: ("volumeSource", .inlined([
        1: ("hostPath", .message([1: ("path", .string), 2: ("type", .string)])),
        2: ("emptyDir", .message([1: ("medium", .string)])),
        6: ("secret", .message([1: ("secretName", .string), 3: ("defaultMode", .optionalInt), 4: ("optional", .bool)])),
        10: ("persistentVolumeClaim", .message([1: ("claimName", .string), 2: ("readOnly", .bool)])),
        19: ("configMap", .message([1: ("localObjectReference", .inlined([1: ("name", .string)])), 3: ("defaultMode", .optionalInt), 4: ("optional", .bool)])),
    ]))]
    static let toleration: Schema = [1: ("key", .string), 2: ("operator", .string), 3: ("value", .string), 4: ("effect", .string), 5: ("tolerationSeconds", .optionalInt)]
    static let podSpec: Schema = [1: ("volumes", .messages(volume)), 2: ("containers", .messages(container)), 3: ("restartPolicy", .string),
                                  4: ("terminationGracePeriodSeconds", .optionalInt), 5: ("activeDeadlineSeconds", .optionalInt), 6: ("dnsPolicy", .string),
                                  7: ("nodeSelector", .map), 8: ("serviceAccountName", .string), 10: ("nodeName", .string),
                                  11: ("hostNetwork", .bool), 12: ("hostPID", .bool), 13: ("hostIPC", .bool),
                                  16: ("hostname", .string), 17: ("subdomain", .string), 19: ("schedulerName", .string),
                                  20: ("initContainers", .messages(container)), 22: ("tolerations", .messages(toleration)),
                                  24: ("priorityClassName", .string)]
    static let deploymentSpec: Schema = [
        1: ("replicas", .optionalInt), 2: ("selector", .message(labelSelector)),
        3: ("template", .message([1: ("metadata", .message(objectMeta)), 2: ("spec", .message(podSpec))])),
        4: ("strategy", .message([1: ("type", .string)])), 5: ("minReadySeconds", .int),
        6: ("revisionHistoryLimit", .optionalInt), 7: ("paused", .bool), 9: ("progressDeadlineSeconds", .optionalInt),
    ]
    static let serviceSpec: Schema = [
        1: ("ports", .messages([1: ("name", .string), 2: ("protocol", .string), 3: ("port", .int), 4: ("targetPort", .intOrString),
                                5: ("nodePort", .int), 6: ("appProtocol", .string)])),
        2: ("selector", .map), 3: ("clusterIP", .string), 4: ("type", .string), 5: ("externalIPs", .strings),
        7: ("sessionAffinity", .string), 8: ("loadBalancerIP", .string), 10: ("externalName", .string),
        11: ("externalTrafficPolicy", .string), 12: ("healthCheckNodePort", .int), 13: ("publishNotReadyAddresses", .bool),
    ]
    static let topLevel: [String: Schema] = [
        // kubectl run and kubectl debug node/… send Pods.
        "Pod": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(podSpec))],
        "Deployment": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(deploymentSpec))],
        "Service": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(serviceSpec))],
        "Namespace": [1: ("metadata", .message(objectMeta)), 2: ("spec", .message([1: ("finalizers", .strings)]))],
        "ConfigMap": [1: ("metadata", .message(objectMeta)), 2: ("data", .map), 4: ("immutable", .bool)],
        "Secret": [1: ("metadata", .message(objectMeta)), 2: ("data", .bytesMap), 3: ("type", .string), 4: ("stringData", .map), 5: ("immutable", .bool)],
        "ServiceAccount": [1: ("metadata", .message(objectMeta)), 3: ("imagePullSecrets", .messages([1: ("name", .string)])),
                           4: ("automountServiceAccountToken", .bool)],
    ]
}

/// Protocol-buffer wire format, read forward (varints, length-delimited runs, fixed widths).
struct WireReader {
    enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }
    var bytes: ArraySlice<UInt8>

    mutating func varint() throws(KubeProtobuf.DecodeError) -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while let b = bytes.first {
            bytes.removeFirst()
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { break }
        }
        throw KubeProtobuf.DecodeError(message: "truncated or malformed varint")
    }

    mutating func nextKey() throws(KubeProtobuf.DecodeError) -> (Int, WireType)? {
        guard !bytes.isEmpty else { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: key & 7), key >> 3 > 0 else { throw KubeProtobuf.DecodeError(message: "invalid field key \(key)") }
        return (Int(key >> 3), wire)
    }

    mutating func lengthDelimited() throws(KubeProtobuf.DecodeError) -> ArraySlice<UInt8> {
        let n = try varint()
        guard n <= UInt64(bytes.count) else { throw KubeProtobuf.DecodeError(message: "length \(n) runs past the end of the body") }
        let run = bytes.prefix(Int(n))
        bytes.removeFirst(Int(n))
        return run
    }

    mutating func skip(_ wire: WireType) throws(KubeProtobuf.DecodeError) {
        switch wire {
        case .varint: _ = try varint()
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed64, .fixed32:
            let n = wire == .fixed64 ? 8 : 4
            guard bytes.count >= n else { throw KubeProtobuf.DecodeError(message: "truncated fixed-width field") }
            bytes.removeFirst(n)
        case .startGroup, .endGroup: throw KubeProtobuf.DecodeError(message: "groups are not used by Kubernetes")
        }
    }
}
