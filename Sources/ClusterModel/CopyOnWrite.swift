/// Shared storage for the fields of a stored kind (Pod, ReplicaSet, Deployment, Service): one
/// heap object that every copy of the value shares until one copy is changed, as Array does.
///
/// Stored objects are copied all the time — every store read, every controller's local, every
/// event handler's old and new — and copying the fields themselves retains each string, array
/// and dictionary in them (a pod has ~30). At 150,000 pods that was a quarter of the engine's
/// time; with the box a copy is one retain.
public struct CopyOnWrite<Fields: Equatable & Sendable>: Equatable, @unchecked Sendable {
    // @unchecked: the box is only written through `fields`' _modify after
    // isKnownUniquelyReferenced, so no two values ever see one box change.
    // Inlinable, so a reader in another module copies only the one field it reads (through
    // opaque accessors the compiler copied the whole ObjectMeta or PodSpec out of the box first).
    //
    // Readers use plain getters on `box.fields.x`, never `_read` coroutines: Swift 6.3 at -Onone
    // destroys a copy taken from a yielded value through the yielded address after the coroutine
    // has ended; when that address was the coroutine's own (freed) frame, the release read
    // garbage — the "swift_release in outlined destroy of PodTemplateSpec" crash in
    // syncDeployment (deterministic under -sanitize=thread, now and then in plain debug tests).
    @usableFromInline final class Box {
        @usableFromInline var fields: Fields
        @usableFromInline init(_ fields: Fields) { self.fields = fields }
    }
    @usableFromInline var box: Box

    @inlinable public init(_ fields: Fields) { box = Box(fields) }

    @inlinable public var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    @inlinable public static func == (a: CopyOnWrite, b: CopyOnWrite) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
}

extension Array {
    /// Appends without the spare capacity `append` reserves when it grows (it doubles): for the
    /// short arrays every pod keeps for good (conditions), where 150,000 pods would each hold
    /// the slack.
    public mutating func appendKeepingSize(_ element: Element) {
        if capacity > count { append(element); return }
        var grown: [Element] = []
        grown.reserveCapacity(count + 1)
        grown.append(contentsOf: self)
        grown.append(element)
        self = grown
    }
}

extension String {
    /// The same text in storage of its own size. An interpolated string keeps the room its
    /// buffer grew to (up to twice the text); a name or UID kept for every pod and event is
    /// worth the copy. Texts of 15 bytes or less are stored inline and returned as they are.
    public var compacted: String {
        let count = utf8.count
        guard count > 15 else { return self }
        return String(unsafeUninitializedCapacity: count) { buffer in
            _ = buffer.initialize(from: utf8)
            return count
        }
    }
}
