/// An object of a kind the cluster only stores — no controller acts on it (ConfigMap): its
/// metadata and its other top-level fields as decoded values. What the kind means — the fields
/// it takes, how it validates, its table columns and `describe` text — is its registry entry's
/// `StoredKind`, so such a kind is one file and one line in `ResourceRegistry.all`; the engine,
/// kubectl and the lab handle every stored kind through this one type.
public struct StoredObject: KubeResource {
    /// Placeholder for the protocol; an instance's kind is `objectKind`.
    public static let kind = "StoredObject"
    public static let apiVersion = "v1"
    public static let resource = "storedobjects"
    public var objectKind: String
    public var metadata: ObjectMeta
    /// The top-level fields besides apiVersion, kind and metadata, as decoded (an object).
    public var fields: Value

    public init(kind: String, metadata: ObjectMeta, fields: Value) {
        self.objectKind = kind; self.metadata = metadata; self.fields = fields
    }

    public var description: ResourceDescription { ResourceRegistry.kind(objectKind)! }
    public subscript(field: String) -> Value? { fields[field] }
}

/// How a stored kind decodes, validates and prints. Everything here is the kind's own rule;
/// the shared machinery (metadata, names, store, watch, -o yaml, delete) is generic.
public struct StoredKind: Sendable {
    /// Reads the kind's top-level fields (strictly: an unknown field is the server's error).
    let decodeFields: @Sendable (inout ObjectReader) -> Value
    /// Field errors beyond the object's metadata.
    public let validate: @Sendable (StoredObject) -> [FieldError]
    /// The table's columns (NAME first), and each object's cells given its AGE text.
    public let columns: [String]
    public let cells: @Sendable (StoredObject, _ age: String) -> [String]
    /// `kubectl describe`'s lines after Name/Namespace/Labels/Annotations (Events follow).
    public let describe: @Sendable (StoredObject) -> [String]
    /// What a read sees at `now`, for fields that move with time without a write (a node
    /// Lease's renewTime: kubelets renew every 10 s; storing each renewal would cost a write
    /// per node every 10 s at 5,000 nodes).
    public let project: (@Sendable (StoredObject, _ now: Millis) -> StoredObject)?
    /// Whether `describe` ends with the object's events (kubectl's Secret describer has none).
    public let hasEvents: Bool
    /// The columns `-o wide` adds, and their cells.
    public let wideColumns: [String]
    public let wideCells: @Sendable (StoredObject) -> [String]
    /// The registry strategy's PrepareForCreate / PrepareForUpdate: what the API server sets or
    /// keeps itself (status, generation) whatever the client sent.
    public let prepareForCreate: @Sendable (inout StoredObject) -> Void
    public let prepareForUpdate: @Sendable (inout StoredObject, _ old: StoredObject) -> Void

    init(decodeFields: @escaping @Sendable (inout ObjectReader) -> Value, validate: @escaping @Sendable (StoredObject) -> [FieldError] = { _ in [] },
         columns: [String], cells: @escaping @Sendable (StoredObject, String) -> [String],
         wideColumns: [String] = [], wideCells: @escaping @Sendable (StoredObject) -> [String] = { _ in [] },
         describe: @escaping @Sendable (StoredObject) -> [String] = { _ in [] },
         project: (@Sendable (StoredObject, Millis) -> StoredObject)? = nil, hasEvents: Bool = true,
         prepareForCreate: @escaping @Sendable (inout StoredObject) -> Void = { _ in },
         prepareForUpdate: @escaping @Sendable (inout StoredObject, StoredObject) -> Void = { _, _ in }) {
        self.decodeFields = decodeFields; self.validate = validate; self.columns = columns; self.cells = cells; self.describe = describe; self.project = project
        self.hasEvents = hasEvents; self.wideColumns = wideColumns; self.wideCells = wideCells
        self.prepareForCreate = prepareForCreate; self.prepareForUpdate = prepareForUpdate
    }

    /// The registry's manifest decoder for a stored kind.
    static func decoder(kind: String, _ stored: StoredKind) -> @Sendable (Value) throws(DecodeError) -> KubeObject {
        { v throws(DecodeError) in
            try ManifestDecoder.decode(v) { r in
                .stored(StoredObject(kind: kind, metadata: ManifestDecoder.metadata(&r), fields: stored.decodeFields(&r)))
            }
        }
    }
}

extension ObjectEncoder {
    /// A stored object as the API server returns it.
    public static func stored(_ o: StoredObject) -> Value {
        var pairs: [(String, Value)] = [("apiVersion", .string(o.description.apiVersion)), ("kind", .string(o.objectKind)),
                                        ("metadata", metadata(o.metadata, namespaced: o.description.namespaced, generation: o.objectKind == DaemonSetKind.kind))]
        if case let .object(fields) = o.fields { pairs += fields }
        return .object(pairs)
    }
}
