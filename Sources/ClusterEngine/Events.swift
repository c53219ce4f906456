import ClusterModel

/// client-go's event recorder, simplified: identical events (same object, reason, message and
/// source) are aggregated into one Event whose count and lastTimestamp grow. Names are
/// `<object>.<hex UnixNano>`, which is why `kubectl get events` lists them grouped by object.
extension Cluster {
    public func reference(_ kind: String, _ meta: ObjectMeta, apiVersion: String = "v1", fieldPath: String = "") -> ObjectReference {
        ObjectReference(kind: kind, namespace: meta.namespace, name: meta.name, uid: meta.uid, apiVersion: apiVersion, fieldPath: fieldPath)
    }

    func recordEvent(_ object: ObjectReference, type: String = "Normal", reason: String, message: String, component: String, host: String = "") {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        let aggregateKey = "\(object.kind)\u{0}\(namespace)\u{0}\(object.name)\u{0}\(object.uid)\u{0}\(object.fieldPath)\u{0}\(reason)\u{0}\(message)\u{0}\(component)\u{0}\(host)"
        if let key = eventIndex[aggregateKey], var existing = events.get(key) {
            existing.count += 1
            existing.lastTimestamp = (clock.now / 1000) * 1000
            write(existing, into: \.events)
            noteRecentEvent(key, at: existing.lastTimestamp)
            eventExpiry.insert(EventExpiry(due: existing.lastTimestamp + Self.eventTTL, key: key))
            return
        }
        let stamp = (clock.now / 1000) * 1000
        var event = Event(involvedObject: object, reason: reason, message: message, type: type,
                          source: EventSource(component: component, host: host), at: stamp)
        // UnixNano with a sequence in the low digits keeps names unique within one millisecond.
        let nanos = UInt64(clock.now) * 1_000_000 + UInt64(resourceVersion % 1_000_000)
        event.metadata.name = "\(object.name).\(String(nanos, radix: 16))"
        event.metadata.namespace = namespace
        event.metadata.uid = newUID()
        event.metadata.creationTimestamp = stamp
        write(event, into: \.events) { _, key in
            eventIndex[aggregateKey] = key
            eventAggregate[key] = aggregateKey
            eventsByObject.insert(Self.objectTerm(object.kind, namespace, object.name), key)
            eventExpiry.insert(EventExpiry(due: stamp + Self.eventTTL, key: key))
        }
        noteRecentEvent(ObjectKey(namespace, event.metadata.name), at: stamp)
    }

    /// How many event writes per namespace `recentEvents` remembers.
    static let recentEventWindow = 512

    private func noteRecentEvent(_ key: ObjectKey, at stamp: Millis) {
        recentEventWrites[key.namespace, default: []].append((key, stamp))
        if recentEventWrites[key.namespace]!.count > Self.recentEventWindow { recentEventWrites[key.namespace]!.removeFirst() }
    }

    /// The `limit` newest events of a namespace in `kubectl get events` order (lastTimestamp,
    /// then name), without sorting every event: events are written in clock order, so the newest
    /// are among the last writes unless one second saw more writes than the window holds (then
    /// it sorts them all, as before).
    public func recentEvents(namespace: String, limit: Int) -> [Event] {
        func order(_ a: Event, _ b: Event) -> Bool { (a.lastTimestamp, a.metadata.name) < (b.lastTimestamp, b.metadata.name) }
        let writes = recentEventWrites[namespace] ?? []
        var seen = Set<ObjectKey>()
        let candidates = writes.reversed().filter { seen.insert($0.key).inserted }.compactMap { events.get($0.key) }
        let newest = candidates.sorted(by: order).suffix(limit)
        // Exact when every event at or after the oldest shown second was written inside the window.
        if writes.count < Self.recentEventWindow || (newest.first.map { writes[0].stamp < $0.lastTimestamp } ?? true) {
            return Array(newest)
        }
        return Array(events.list(namespace: namespace).sorted(by: order).suffix(limit))
    }

    /// kube-apiserver's default --event-ttl: an event not repeated for an hour goes away.
    static let eventTTL: Millis = 3_600_000

    static func objectTerm(_ kind: String, _ namespace: String, _ name: String) -> String { "\(kind)\u{0}\(namespace)\u{0}\(name)" }

    /// Drops events whose last occurrence is older than the TTL (each check is O(log n)).
    func expireEvents() {
        while let top = eventExpiry.min, top.due <= clock.now {
            _ = eventExpiry.removeMin()
            guard let e = events.get(top.key), e.lastTimestamp + Self.eventTTL <= clock.now else { continue }
            erase(top.key, from: \.events) { old in
                if let aggregate = eventAggregate.removeValue(forKey: top.key) { eventIndex[aggregate] = nil }
                eventsByObject.remove(Self.objectTerm(old.involvedObject.kind, top.key.namespace, old.involvedObject.name), top.key)
            }
        }
    }

    /// Events about one object, oldest first (what `kubectl describe` shows).
    public func events(for ref: ObjectReference) -> [Event] {
        let ns = ref.namespace.isEmpty ? "default" : ref.namespace
        return eventsByObject.get(Self.objectTerm(ref.kind, ns, ref.name)).compactMap { events.get($0) }
            .filter { ref.uid.isEmpty || $0.involvedObject.uid == ref.uid }
            .sorted { ($0.lastTimestamp, $0.metadata.name) < ($1.lastTimestamp, $1.metadata.name) }
    }
}
