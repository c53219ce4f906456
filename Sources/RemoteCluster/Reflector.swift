import ClusterEngine
import ClusterModel
import Foundation

/// A kind the mirror follows: where the API lists it and how its items become model objects.
public struct MirroredKind: Sendable {
    public var kind: String
    public var path: String
    /// The path of one object (`/api/v1/namespaces/NS/pods/NAME`).
    public func path(of key: ObjectKey) -> String {
        let plural = path.split(separator: "/").last.map(String.init) ?? ""
        let prefix = String(path.dropLast(plural.count + 1))
        return prefix + (key.namespace.isEmpty ? "" : "/namespaces/\(key.namespace)") + "/\(plural)/\(key.name)"
    }
    public static func named(_ kind: String) -> MirroredKind? { all.first { $0.kind == kind } }
    var decode: @Sendable (Value) throws(DecodeError) -> MirroredObject

    /// What the lab, `why`, `trace` and kubectl's tables read, in the order a first sync fills
    /// them (nodes and Services before the pods and slices that refer to them).
    public static let all: [MirroredKind] = [
        MirroredKind(kind: Namespace.kind, path: "/api/v1/namespaces") { v throws(DecodeError) in .namespace(try ServedObjects.namespace(v)) },
        MirroredKind(kind: Node.kind, path: "/api/v1/nodes") { v in .node(ServedObjects.node(v)) },
        MirroredKind(kind: Service.kind, path: "/api/v1/services") { v throws(DecodeError) in .service(try ServedObjects.service(v)) },
        MirroredKind(kind: Deployment.kind, path: "/apis/apps/v1/deployments") { v throws(DecodeError) in .deployment(try ServedObjects.deployment(v)) },
        MirroredKind(kind: ReplicaSet.kind, path: "/apis/apps/v1/replicasets") { v throws(DecodeError) in .replicaSet(try ServedObjects.replicaSet(v)) },
        MirroredKind(kind: Pod.kind, path: "/api/v1/pods") { v throws(DecodeError) in .pod(try ServedObjects.pod(v)) },
        MirroredKind(kind: EndpointSlice.kind, path: "/apis/discovery.k8s.io/v1/endpointslices") { v throws(DecodeError) in .endpointSlice(try ServedObjects.endpointSlice(v)) },
        MirroredKind(kind: Event.kind, path: "/api/v1/events") { v in .event(ServedObjects.event(v)) },
    ]
}

/// Changes the reflectors saw, waiting for the thread that owns the mirror's `Cluster` (the
/// shell before each command, the lab between frames) to apply them. Nothing here touches the
/// cluster from another thread.
final class MirrorInbox: @unchecked Sendable {
    enum Change {
        case replace(String, [MirroredObject])
        case put(MirroredObject)
        case remove(String, ObjectKey)
    }
    private let lock = NSLock()
    private var changes: [Change] = []
    private var synced: Set<String> = []
    private var problem: String?
    private var reconnecting = false

    func add(_ change: Change) { lock.withLock { changes.append(change) } }
    func markSynced(_ kind: String) { lock.withLock { _ = synced.insert(kind); problem = nil; reconnecting = false } }
    func fail(_ message: String, reconnecting again: Bool) { lock.withLock { problem = message; reconnecting = again } }

    func take() -> [Change] { lock.withLock { defer { changes = [] }; return changes } }
    var syncedKinds: Set<String> { lock.withLock { synced } }
    var state: (problem: String?, reconnecting: Bool) { lock.withLock { (problem, reconnecting) } }
}

/// client-go's Reflector for one kind: list, then watch from the list's resourceVersion; a
/// watch the server ends at its timeout is started again from the last version seen; 410
/// Gone, an ERROR event, a broken connection or a watch that ended early (a restarted server's
/// versions start over) lists again after a back-off (0.2 s doubling to 5 s), saying
/// "reconnecting" meanwhile.
struct Reflector: Sendable {
    let kind: MirroredKind
    let inbox: MirrorInbox
    /// Its own client (connection pool), replaced after every failure.
    let firstClient: APIClient

    init(kind: MirroredKind, client: APIClient, inbox: MirrorInbox) {
        self.kind = kind; self.inbox = inbox; self.firstClient = client.fresh()
    }

    func run() async {
        var client = firstClient
        defer { client.shutdown() }
        var backoff = 0.2
        while !Task.isCancelled {
            do throws(APIError) {
                var version = try await list(client)
                backoff = 0.2
                while !Task.isCancelled {
                    let path = "\(kind.path)?watch=1&allowWatchBookmarks=true&resourceVersion=\(version)&timeoutSeconds=\(Self.watchSeconds)"
                    let started = Date()
                    debugLog("watch \(kind.kind) from \(version)")
                    try await client.watch(path) { type, object throws(APIError) in
                        if let v = object["metadata"]?["resourceVersion"]?.stringValue, !v.isEmpty { version = v }
                        switch type {
                        case "ADDED", "MODIFIED":
                            debugLog("\(type) \(kind.kind) \(object["metadata"]?["name"]?.stringValue ?? "")")
                            if let decoded = try? kind.decode(object) { inbox.add(.put(decoded)) }
                        case "DELETED":
                            if let decoded = try? kind.decode(object) { inbox.add(.remove(kind.kind, decoded.key)) }
                        case "ERROR":
                            throw APIError(message: object["message"]?.stringValue ?? "watch error",
                                           status: object["code"]?.intValue.map(Int.init), reason: object["reason"]?.stringValue)
                        default: break   // BOOKMARK: only the version moves
                        }
                    }
                    // The server ends a watch at its timeout; one that ends sooner was cut (a
                    // server shutting down ends its watches cleanly): list again, since a
                    // restarted server's versions need not continue ours.
                    if Date().timeIntervalSince(started) < Double(Self.watchSeconds) - 5 {
                        throw APIError(message: "Unable to connect to the server: the watch of \(kind.path) ended")
                    }
                }
            } catch {
                debugLog("\(kind.kind) failed: \(error.message)")
                if Task.isCancelled { return }
                // Unauthorized is not going to get better by retrying quickly; still retry (a
                // token file may be rotated), but slowly.
                inbox.fail(error.message, reconnecting: true)
                let wait = error.status == 401 ? 5.0 : backoff
                backoff = min(backoff * 2, 5)
                client.shutdown()
                client = client.fresh()
                try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }

    static let watchSeconds = 300

    /// SVCLAB_MIRROR_DEBUG=1: each list, watch and event on stderr with a timestamp. Read once:
    /// this runs for every watch event.
    static let debugging = ProcessInfo.processInfo.environment["SVCLAB_MIRROR_DEBUG"] != nil

    func debugLog(_ s: @autoclosure () -> String) {
        if Self.debugging {
            FileHandle.standardError.write("\(Date().timeIntervalSince1970) \(s())\n".data(using: .utf8)!)
        }
    }

    /// One list: every object of the kind replaces the mirror's; returns the list's version.
    func list(_ client: APIClient) async throws(APIError) -> String {
        let list = try await client.get(kind.path)
        var objects: [MirroredObject] = []
        for item in list["items"]?.arrayValue ?? [] {
            if let decoded = try? kind.decode(item) { objects.append(decoded) }
        }
        inbox.add(.replace(kind.kind, objects))
        debugLog("listed \(kind.kind) at \(list["metadata"]?["resourceVersion"]?.stringValue ?? "")")
        inbox.markSynced(kind.kind)
        return list["metadata"]?["resourceVersion"]?.stringValue ?? "0"
    }
}
