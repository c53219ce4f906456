public struct EventSource: Hashable, Sendable {
    public var component: String
    public var host: String
    public init(component: String, host: String = "") { self.component = component; self.host = host }
}

/// Who says what kind of thing in an event: its reason, type and source. Thousands of events
/// say the same ("Normal Started by kubelet on kind-worker"), so the recorder interns one of
/// these per combination and every event holds a pointer (8 bytes instead of 64).
public final class EventOrigin: Hashable, Sendable {
    public let reason: String
    public let type: String
    public let source: EventSource
    /// How its events' messages are kept, when they are all one sentence around one word.
    public let template: EventMessageTemplate?
    public init(reason: String, type: String, source: EventSource, template: EventMessageTemplate? = nil) {
        self.reason = reason; self.type = type; self.source = source; self.template = template
    }
    public static func == (a: EventOrigin, b: EventOrigin) -> Bool {
        a === b || (a.reason == b.reason && a.type == b.type && a.source == b.source && a.template == b.template)
    }
    public func hash(into h: inout Hasher) { h.combine(reason); h.combine(type); h.combine(source); h.combine(template) }
    /// The same origin without a template (for an event whose message is set to other words).
    var plain: EventOrigin { template == nil ? self : EventOrigin(reason: reason, type: type, source: source) }
}

/// A message an origin writes for every object the same way but for one word, kept as that
/// word: the scheduler's "Successfully assigned NAMESPACE/NAME to NODE" names a different pod
/// each time (~110 bytes per pod), and the node's name is shared.
public enum EventMessageTemplate: Hashable, Sendable {
    case assignedToNode

    public func expand(_ word: String, about subject: ObjectReference) -> String {
        switch self {
        case .assignedToNode: return "Successfully assigned \(subject.namespace)/\(subject.name) to \(word)"
        }
    }

    /// The word `message` was made around, when it reads exactly as `expand` would write it.
    public func word(in message: String, about subject: ObjectReference) -> String? {
        switch self {
        case .assignedToNode:
            let prefix = "Successfully assigned \(subject.namespace)/\(subject.name) to "
            guard message.hasPrefix(prefix) else { return nil }
            let node = String(message.dropFirst(prefix.count))
            return node.isEmpty ? nil : node
        }
    }
}

/// The object an event is about, shared: a container's Pulling, Pulled, Created and Started
/// point at one of these (the reference's six strings are 96 bytes inline in every event
/// otherwise). The recorder interns them; an event made elsewhere gets its own.
public final class EventSubject: Hashable, Sendable {
    public let reference: ObjectReference
    public init(_ reference: ObjectReference) { self.reference = reference }
    public static func == (a: EventSubject, b: EventSubject) -> Bool { a === b || a.reference == b.reference }
    public func hash(into h: inout Hasher) { h.combine(reference) }
}

/// An object's UID as its 16 bytes, printed as the canonical lower-case 8-4-4-4-12 text
/// (the 36-character string was an 80-byte heap block per event).
@usableFromInline struct CompactUID: Equatable, Sendable {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64
    /// The empty UID (all zero bytes; the nil UUID's text is not taken for it).
    @usableFromInline static let empty = CompactUID(high: 0, low: 0)
    @usableFromInline init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// nil unless `text` is empty or exactly what `description` would print back.
    @usableFromInline init?(_ text: String) {
        if text.isEmpty { self = .empty; return }
        var utf8 = text.utf8.makeIterator()
        var words: [UInt64] = [0, 0]
        var digits = 0
        for position in 0..<36 {
            guard let byte = utf8.next() else { return nil }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            words[digits / 16] = words[digits / 16] << 4 | nibble
            digits += 1
        }
        guard utf8.next() == nil, words[0] != 0 || words[1] != 0 else { return nil }
        high = words[0]; low = words[1]
    }

    @usableFromInline var description: String {
        if self == .empty { return "" }
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](); bytes.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { bytes.append(UInt8(ascii: "-")) }
            let word = i < 16 ? high : low
            bytes.append(hex[Int((word >> UInt64(60 - 4 * (i % 16))) & 0xf)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A core/v1 Event. The cluster holds about six per pod (900,000 at 150,000 pods), so the
/// fields are stored compactly: the metadata the recorder writes (name, namespace, UID as bytes,
/// resourceVersion as a number, creation time) instead of a whole `ObjectMeta`, and reason, type
/// and source as one interned `EventOrigin`. `metadata` is assembled when read; metadata the
/// compact fields cannot hold (labels, say) is kept whole beside them.
public struct Event: KubeResource {
    public static let kind = "Event"
    public static let apiVersion = "v1"
    public static let resource = "events"
    @usableFromInline struct Fields: Equatable, Sendable {
        @usableFromInline var name: String
        @usableFromInline var namespace: String
        @usableFromInline var uid: CompactUID
        /// 0 for none; otherwise the decimal resourceVersion.
        @usableFromInline var resourceVersion: Int64
        // No creationTimestamp: the recorder creates an event when it first happens, so it is
        // firstTimestamp (an event where it is not keeps its whole metadata).
        /// The whole metadata, when it holds more than the fields above can say.
        @usableFromInline var wholeMetadata: WholeMetadata?
        @usableFromInline var subject: EventSubject
        @usableFromInline var origin: EventOrigin
        @usableFromInline var message: String
        @usableFromInline var firstTimestamp: Millis
        @usableFromInline var lastTimestamp: Millis
        @usableFromInline var count: Int

        @usableFromInline var metadata: ObjectMeta {
            get {
                if let whole = wholeMetadata { return whole.metadata }
                var m = ObjectMeta()
                m.name = name; m.namespace = namespace; m.uid = uid.description
                m.resourceVersion = resourceVersion == 0 ? "" : String(resourceVersion)
                m.creationTimestamp = firstTimestamp
                return m
            }
            set {
                name = newValue.name; namespace = newValue.namespace
                if let uid = CompactUID(newValue.uid), let rv = Self.compactResourceVersion(newValue.resourceVersion),
                   Self.onlyCompactFields(newValue), newValue.creationTimestamp == firstTimestamp {
                    self.uid = uid; resourceVersion = rv; wholeMetadata = nil
                } else {
                    uid = .empty; resourceVersion = 0; wholeMetadata = WholeMetadata(newValue)
                }
            }
        }

        @usableFromInline static func compactResourceVersion(_ text: String) -> Int64? {
            if text.isEmpty { return 0 }
            guard let n = Int64(text), n > 0, String(n) == text else { return nil }
            return n
        }

        @usableFromInline static func onlyCompactFields(_ m: ObjectMeta) -> Bool {
            m.generateName.isEmpty && m.generation == 0 && m.deletionTimestamp == nil && m.deletionGracePeriodSeconds == nil
                && m.labels.isEmpty && m.annotations.isEmpty && m.ownerReferences.isEmpty && m.finalizers.isEmpty && m.managedFields.isEmpty
        }

        @usableFromInline mutating func setResourceVersion(_ text: String) {
            if wholeMetadata == nil, let rv = Self.compactResourceVersion(text) { resourceVersion = rv; return }
            var m = metadata
            m.resourceVersion = text
            metadata = m
        }

        /// Writes a templated message out whole and drops the template: what it expands from
        /// (the subject, the origin) is about to change, or the message itself.
        @usableFromInline mutating func dropTemplate() {
            guard let template = origin.template else { return }
            message = template.expand(message, about: subject.reference)
            origin = origin.plain
        }

        /// Changes firstTimestamp; compact metadata, whose creationTimestamp it was, is kept whole first.
        @usableFromInline mutating func setFirstTimestamp(_ time: Millis) {
            if wholeMetadata == nil && time != firstTimestamp { wholeMetadata = WholeMetadata(metadata) }
            firstTimestamp = time
        }

        @usableFromInline static func == (a: Fields, b: Fields) -> Bool {
            a.name == b.name && a.namespace == b.namespace && a.uid == b.uid && a.resourceVersion == b.resourceVersion
                && a.wholeMetadata?.metadata == b.wholeMetadata?.metadata
                && a.subject == b.subject && a.origin == b.origin && a.message == b.message
                && a.firstTimestamp == b.firstTimestamp && a.lastTimestamp == b.lastTimestamp && a.count == b.count
        }
    }

    @usableFromInline final class WholeMetadata: Sendable {
        @usableFromInline let metadata: ObjectMeta
        @usableFromInline init(_ metadata: ObjectMeta) { self.metadata = metadata }
    }

    @usableFromInline var storage: CopyOnWrite<Fields>

    public var metadata: ObjectMeta {
        get { storage.box.fields.metadata }
        set { storage.fields.metadata = newValue }
    }
    public var storeName: String { storage.box.fields.name }
    public var storeNamespace: String { storage.box.fields.namespace }
    public mutating func stampResourceVersion(_ text: String) { storage.fields.setResourceVersion(text) }

    @inlinable public var involvedObject: ObjectReference {
        get { storage.box.fields.subject.reference }
        set { storage.fields.dropTemplate(); storage.fields.subject = EventSubject(newValue) }
    }
    public var subject: EventSubject { storage.box.fields.subject }
    public var origin: EventOrigin {
        get { storage.box.fields.origin }
        set { storage.fields.origin = newValue }
    }
    @inlinable public var reason: String {
        get { storage.box.fields.origin.reason }
        set { storage.fields.dropTemplate(); let o = origin; origin = EventOrigin(reason: newValue, type: o.type, source: o.source) }
    }
    @inlinable public var type: String {
        get { storage.box.fields.origin.type }
        set { storage.fields.dropTemplate(); let o = origin; origin = EventOrigin(reason: o.reason, type: newValue, source: o.source) }
    }
    @inlinable public var source: EventSource {
        get { storage.box.fields.origin.source }
        set { storage.fields.dropTemplate(); let o = origin; origin = EventOrigin(reason: o.reason, type: o.type, source: newValue) }
    }
    /// The text (expanded from its origin's template when it has one).
    public var message: String {
        get {
            let f = storage.box.fields
            return f.origin.template?.expand(f.message, about: f.subject.reference) ?? f.message
        }
        set {
            if storage.box.fields.origin.template != nil { storage.fields.origin = storage.box.fields.origin.plain }
            storage.fields.message = newValue
        }
    }
    @inlinable public var firstTimestamp: Millis {
        get { storage.box.fields.firstTimestamp }
        set { storage.fields.setFirstTimestamp(newValue) }
    }
    @inlinable public var lastTimestamp: Millis {
        get { storage.box.fields.lastTimestamp }
        set { storage.fields.lastTimestamp = newValue }
    }
    @inlinable public var count: Int {
        get { storage.box.fields.count }
        set { storage.fields.count = newValue }
    }

    public init(subject: EventSubject, origin: EventOrigin, message: String, at time: Millis) {
        storage = CopyOnWrite(Fields(name: "", namespace: "", uid: .empty, resourceVersion: 0, wholeMetadata: nil,
                                     subject: subject, origin: origin, message: message,
                                     firstTimestamp: time, lastTimestamp: time, count: 1))
    }

    public init(involvedObject: ObjectReference, reason: String, message: String, type: String, source: EventSource, at time: Millis) {
        self.init(subject: EventSubject(involvedObject), origin: EventOrigin(reason: reason, type: type, source: source), message: message, at: time)
    }
}
