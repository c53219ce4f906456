import ClusterModel
import DequeModule
import HeapModule

/// client-go's event recorder and its EventCorrelator (tools/record/events_cache.go): an event
/// identical to one stored (same object and field path, source, type, reason and message) is
/// counted on it; the tenth different message of the same object, source, type and reason
/// within ten minutes starts one "(combined from similar events): …" event that takes every
/// further one (a ReplicaSet scaled to 150 keeps ten "Created pod" events, not 150). Both are
/// found among the object's own events, so the correlator keeps no state of its own. Names are
/// `<object>.<hex UnixNano>`, which is why `kubectl get events` lists them grouped by object.
/// (client-go's spam filter — 25 events per object and source, then one per five minutes — is
/// not modelled: counts keep growing where a real recorder stops.)
extension Cluster {
    public func reference(_ kind: String, _ meta: ObjectMeta, apiVersion: String = "v1", fieldPath: String = "") -> ObjectReference {
        // A static pod's UID is its manifest's hash; the kubelet's events name that, not the
        // mirror pod's UID (kubectl describe searches with the config.mirror annotation).
        let uid = kind == Pod.kind ? meta.annotations["kubernetes.io/config.mirror"] ?? meta.uid : meta.uid
        return ObjectReference(kind: kind, namespace: meta.namespace, name: meta.name, uid: uid, apiVersion: apiVersion, fieldPath: fieldPath)
    }

    /// client-go's defaultAggregateMaxEvents and defaultAggregateIntervalInSeconds.
    static let aggregateMaxEvents = 10
    static let aggregateInterval: Millis = 600_000
    static let combinedPrefix = "(combined from similar events): "

    /// EventAggregatorByReasonFunc's key: source, object (not its field path), type and reason.
    private static func similar(_ a: Event, _ subject: ObjectReference, _ origin: EventOrigin) -> Bool {
        let o = a.involvedObject
        return a.origin == origin && o.kind == subject.kind && o.name == subject.name && o.uid == subject.uid && o.apiVersion == subject.apiVersion
    }

    func recordEvent(_ object: ObjectReference, type: String = "Normal", reason: String, message: String, component: String, host: String = "") {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        let stamp = (clock.now / 1000) * 1000
        let subject = interned(object)
        // The scheduler's messages are kept as the node's name (EventMessageTemplate).
        let template: EventMessageTemplate? = reason == "Scheduled" && component == "default-scheduler" ? .assignedToNode : nil
        let word = template?.word(in: message, about: object)
        let origin = internedOrigin(EventOrigin(reason: reason, type: type, source: EventSource(component: component, host: host),
                                                template: word == nil ? nil : template))
        let filed = EventObject(object.kind, namespace, object.name)
        let related = eventsByObject.names(filed).compactMap { events.get(namespace, $0) }
            .filter { Self.similar($0, object, origin) }
        func count(_ existing: Event, message: String) {
            var e = existing
            e.count += 1
            e.lastTimestamp = stamp
            if e.message != message { e.message = message }
            let key = ObjectKey(namespace, e.storeName)
            write(e, into: \.events)
            noteRecentEvent(key, at: stamp)
            eventExpiry.insert(key, due: stamp + Self.eventTTL)
        }
        // The same event again (client-go's eventLogger): counted on the stored one.
        if let same = related.first(where: { $0.message == message && $0.involvedObject.fieldPath == object.fieldPath }) {
            return count(same, message: message)
        }
        // The EventAggregator: similar events within the interval, by message.
        let recent = related.filter { stamp - $0.lastTimestamp <= Self.aggregateInterval }
        if let combined = recent.first(where: { $0.message.hasPrefix(Self.combinedPrefix) }) {
            return count(combined, message: Self.combinedPrefix + message)
        }
        var event = Event(subject: subject, origin: origin, message: internedMessage(word ?? message), at: stamp)
        // (Nine different messages need nine events: most objects have one or two.)
        if recent.count >= Self.aggregateMaxEvents - 1, Set(recent.map(\.message)).count >= Self.aggregateMaxEvents - 1 {
            event.message = Self.combinedPrefix + message
        }
        // UnixNano with a sequence in the low digits keeps names unique within one millisecond.
        let nanos = UInt64(clock.now) * 1_000_000 + UInt64(resourceVersion % 1_000_000)
        var meta = ObjectMeta()
        meta.namespace = namespace
        meta.name = "\(object.name).\(String(nanos, radix: 16))".compacted
        meta.uid = newUID(for: meta)
        meta.creationTimestamp = stamp
        event.metadata = meta
        write(event, into: \.events) { _, key in
            eventsByObject.insert(filed, key.name)
            eventExpiry.insert(key, due: stamp + Self.eventTTL)
        }
        noteRecentEvent(ObjectKey(namespace, meta.name), at: stamp)
    }

    /// One stored copy of each recent message text: most events say what thousands of others say
    /// ("Pulling image …", "Started container web"), and a message is ~60 bytes on the heap.
    /// Bounded: past `internedMessageLimit` texts the table starts again.
    private func internedMessage(_ message: String) -> String {
        if let i = internedMessages.firstIndex(of: message) { return internedMessages[i] }
        if internedMessages.count >= Self.internedMessageLimit { internedMessages.removeAll(keepingCapacity: true) }
        let message = message.compacted
        internedMessages.insert(message)
        return message
    }
    static let internedMessageLimit = 4096

    /// One stored copy of each (reason, type, source): a few per node and controller.
    private func internedOrigin(_ origin: EventOrigin) -> EventOrigin {
        if let i = internedOrigins.firstIndex(of: origin) { return internedOrigins[i] }
        if internedOrigins.count >= Self.internedMessageLimit { internedOrigins.removeAll(keepingCapacity: true) }
        internedOrigins.insert(origin)
        return origin
    }

    /// One stored copy of each recently named object: a container's Pulling, Pulled, Created and
    /// Started share one reference (112 bytes each otherwise). Bounded like the messages, but
    /// wider, since a big scale starts thousands of containers in the same second.
    private func interned(_ object: ObjectReference) -> EventSubject {
        let subject = EventSubject(object)
        if let i = internedEventObjects.firstIndex(of: subject) { return internedEventObjects[i] }
        if internedEventObjects.count >= Self.internedObjectLimit { internedEventObjects.removeAll(keepingCapacity: true) }
        internedEventObjects.insert(subject)
        return subject
    }
    static let internedObjectLimit = 65_536

    /// How many event writes per namespace `recentEvents` remembers.
    static let recentEventWindow = 512

    /// Remembers an event write. The oldest writes are forgotten once `recentEventWindow` newer
    /// ones exist in later seconds, so every write of the seconds `recentEvents` reads stays.
    private func noteRecentEvent(_ key: ObjectKey, at stamp: Millis) {
        recentEventWrites[key.namespace, default: RecentEventWrites()].remember(key, at: stamp)
    }

    /// A mirrored event's write, for the Events pane's window of recent writes.
    func noteMirroredEvent(_ key: ObjectKey, at stamp: Millis) { noteRecentEvent(key, at: stamp) }

    /// The `limit` newest events of a namespace in `kubectl get events` order (lastTimestamp,
    /// then name), without sorting every event: events are written in clock order, so the newest
    /// are among the last writes unless writes of the seconds shown were forgotten (then it sorts
    /// them all).
    public func recentEvents(namespace: String, limit: Int) -> [Event] {
        guard limit > 0 else { return [] }
        let recent = recentEventWrites[namespace] ?? RecentEventWrites()
        // The lab asks every time it rebuilds its view (at least once a simulated second): while
        // no event of the namespace was written since, the answer is the same events. (A second
        // in which 40,000 pods became ready holds 40,000 writes; walking them made nine tenths of
        // a 150,000-pod frame.)
        if let last = recent.lastAnswer, last.written == recent.written, last.limit == limit {
            let events = last.keys.compactMap { self.events.get($0) }
            if events.count == last.keys.count { return events }
        }
        let shown = newestEvents(namespace: namespace, limit: limit, recent)
        recentEventWrites[namespace]?.lastAnswer = (recent.written, limit, shown.map { ObjectKey($0.storeNamespace, $0.storeName) })
        return shown
    }

    private func newestEvents(namespace: String, limit: Int, _ recent: RecentEventWrites) -> [Event] {
        // Newest writes first, each event once (its newest write carries its lastTimestamp); stop
        // after the second in which `limit` events were reached: ties in it are ordered by name.
        // (One namespace's writes: the name alone tells them apart.)
        var seen = Set<String>()
        var newest = Heap<EventOrder>()   // the `limit` largest by (lastTimestamp, name) so far
        var collected = 0
        var boundary: Millis?
        for write in recent.writes.reversed() {
            if let b = boundary, write.stamp < b { break }
            guard seen.insert(write.key.name).inserted, let event = events.get(write.key) else { continue }
            newest.insert(EventOrder(event: event))
            if newest.count > limit { _ = newest.removeMin() }
            collected += 1
            if boundary == nil && collected >= limit { boundary = write.stamp }
        }
        let shown = newest.unordered.sorted().map(\.event)
        // Exact when nothing was forgotten, or no write of the oldest shown second (or later) was.
        guard let forgotten = recent.forgottenUpTo else { return shown }
        if shown.count == limit, let oldest = shown.first, oldest.lastTimestamp > forgotten { return shown }
        return Array(events.list(namespace: namespace).sorted(by: EventOrder.precedes).suffix(limit))
    }

    /// kube-apiserver's default --event-ttl: an event not repeated for an hour goes away.
    static let eventTTL: Millis = 3_600_000


    /// Drops events whose last occurrence is older than the TTL (a write counted again later
    /// was queued again, so its first entry finds it still fresh).
    func expireEvents() {
        for top in eventExpiry.takeDue(at: clock.now) {
            guard let e = events.get(top.key), e.lastTimestamp + Self.eventTTL <= clock.now else { continue }
            erase(top.key, from: \.events) { old in
                eventsByObject.remove(EventObject(old.involvedObject.kind, top.key.namespace, old.involvedObject.name), top.key.name)
            }
        }
    }

    /// Events about one object, oldest first (what `kubectl describe` shows).
    public func events(for ref: ObjectReference) -> [Event] {
        let ns = ref.namespace.isEmpty ? "default" : ref.namespace
        return eventsByObject.names(EventObject(ref.kind, ns, ref.name)).compactMap { events.get(ns, $0) }
            .filter { ref.uid.isEmpty || $0.involvedObject.uid == ref.uid }
            .sorted(by: EventOrder.precedes)
    }
}

/// The last event writes of a namespace, oldest first. The oldest are forgotten once
/// `recentEventWindow` newer writes exist in later seconds, so the window holds whole seconds;
/// `forgottenUpTo` is the newest second of a forgotten write.
struct RecentEventWrites {
    var writes = Deque<(key: ObjectKey, stamp: Millis)>()
    var forgottenUpTo: Millis?
    /// Writes remembered so far, and `recentEvents`' last answer with the count it was made at.
    var written = 0
    var lastAnswer: (written: Int, limit: Int, keys: [ObjectKey])?

    mutating func remember(_ key: ObjectKey, at stamp: Millis) {
        written += 1
        writes.append((key, stamp))
        let window = Cluster.recentEventWindow
        var forgot = false
        while writes.count > window, writes[0].stamp < writes[writes.count - window].stamp {
            forgottenUpTo = writes.removeFirst().stamp
            forgot = true
        }
        // A second of 100,000 writes grew the buffer; a Deque never gives that back by itself.
        if forgot && writes.count <= window && lastBurst > 4 * window {
            writes = Deque(writes)
            lastBurst = writes.count
        }
        lastBurst = max(lastBurst, writes.count)
    }
    /// The most writes held since the buffer was last made to measure.
    private var lastBurst = 0
}

/// An event ordered as `kubectl get events` lists them: lastTimestamp, then name.
struct EventOrder: Comparable {
    var event: Event
    static func precedes(_ a: Event, _ b: Event) -> Bool { (a.lastTimestamp, a.storeName) < (b.lastTimestamp, b.storeName) }
    static func < (a: EventOrder, b: EventOrder) -> Bool { precedes(a.event, b.event) }
    static func == (a: EventOrder, b: EventOrder) -> Bool {
        a.event.lastTimestamp == b.event.lastTimestamp && a.event.storeName == b.event.storeName
    }
}

/// The object an event is about, as the index of events by object files it: the reference's
/// own strings, so filing an event builds no string.
struct EventObject: Hashable {
    var kind: String
    var namespace: String
    var name: String
    init(_ kind: String, _ namespace: String, _ name: String) { self.kind = kind; self.namespace = namespace; self.name = name }
}

/// The names of the events about each object (in the object's namespace). Most objects have a
/// handful, kept in a small array (a Set of keys cost ~330 bytes per pod); an object with many
/// (a ReplicaSet's "Created pod" for every replica) gets a set, so removing one stays O(1).
struct EventsByObject {
    private enum Names {
        case few([String])
        case many(Set<String>)
    }
    private var map: [EventObject: Names] = [:]
    private static let fewLimit = 16

    mutating func insert(_ object: EventObject, _ name: String) {
        switch map.removeValue(forKey: object) {
        case var .few(names)?:
            names.appendKeepingSize(name)
            map[object] = names.count > Self.fewLimit ? .many(Set(names)) : .few(names)
        case var .many(names)?:
            names.insert(name)
            map[object] = .many(names)
        case nil:
            map[object] = .few([name])
        }
    }

    mutating func remove(_ object: EventObject, _ name: String) {
        switch map.removeValue(forKey: object) {
        case var .few(names)?:
            if let i = names.firstIndex(of: name) { names.remove(at: i) }
            if !names.isEmpty { map[object] = .few(names) }
        case var .many(names)?:
            names.remove(name)
            if !names.isEmpty { map[object] = .many(names) }
        case nil:
            break
        }
    }

    func names(_ object: EventObject) -> [String] {
        switch map[object] {
        case let .few(names)?: return names
        case let .many(names)?: return Array(names)
        case nil: return []
        }
    }
}
