import ClusterEngine
import ClusterModel
import Foundation
import Hummingbird
import Kubectl
import NIOCore
import ServiceLifecycle

/// `GET /api/v1/namespaces/NS/pods/NAME/log` as the kubelet answers through the API server:
/// `text/plain`, one line per write, with `container`, `previous`, `tailLines`, `limitBytes`,
/// `timestamps` and `follow` (streamed until the container stops or the client leaves).
enum PodLogs {
    struct Options {
        var container: String?
        var previous = false
        var timestamps = false
        var tailLines: Int?
        var limitBytes: Int?
        var follow = false

        init(_ query: [String: String]) {
            container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
            previous = query["previous"] == "true"
            timestamps = query["timestamps"] == "true"
            tailLines = query["tailLines"].flatMap(Int.init)
            limitBytes = query["limitBytes"].flatMap(Int.init)
            follow = query["follow"] == "true"
        }
    }

    static func text(_ lines: [LogLine], _ o: Options) -> String {
        var out = ""
        for line in lines {
            if o.timestamps { out += Timestamps.rfc3339Nano(line.time) + " " }
            out += line.text + "\n"
        }
        if let limit = o.limitBytes, out.utf8.count > limit { out = String(decoding: out.utf8.prefix(limit), as: UTF8.self) }
        return out
    }

    static func problem(_ p: Cluster.LogProblem, name: String) -> APIResponse {
        switch p {
        case let .badRequest(message): return APIHandler.status(400, "BadRequest", message)
        case let .notFound(message): return APIHandler.status(404, "NotFound", message, details: .object([("name", .string(name)), ("kind", .string("pods"))]))
        }
    }

    /// The whole log at once (no `follow`).
    static func response(_ r: APIRequest, namespace: String, name: String, cluster: Cluster) -> APIResponse {
        let o = Options(r.query)
        switch cluster.containerLog(namespace: namespace, pod: name, container: o.container, previous: o.previous) {
        case let .failure(p): return problem(p, name: name)
        case var .success(lines):
            if let tail = o.tailLines, tail >= 0 { lines = Array(lines.suffix(tail)) }
            return APIResponse(status: 200, contentType: "text/plain", body: text(lines, o))
        }
    }

    /// `follow=true`: what is there (after `tailLines`), then each new line, until the container
    /// stops running. Polls the engine (a job per poll) so a silent follower costs nothing else.
    static func followResponse(_ r: APIRequest, _ path: ResourcePath, engine: some EngineAccess) async -> Response {
        let o = Options(r.query)
        let namespace = path.namespace ?? "", name = path.name ?? ""
        let first = await engine.run { session -> APIResponse? in
            if case let .failure(p) = session.cluster.containerLog(namespace: namespace, pod: name, container: o.container) { return problem(p, name: name) }
            return nil
        }
        if let first {
            return Response(status: .init(code: first.status), headers: [.contentType: first.contentType], body: .init(byteBuffer: ByteBuffer(string: first.body)))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody { writer in
            var firstRound = true
            try await follow(engine: engine, namespace: namespace, pod: name, container: o.container) { lines in
                var lines = lines
                if firstRound, let tail = o.tailLines, tail >= 0 { lines = Array(lines.suffix(tail)) }
                firstRound = false
                if !lines.isEmpty { try await writer.write(ByteBuffer(string: text(lines, o))) }
            }
            try await writer.finish(nil)
        })
    }

    /// Hands each batch of new lines to `deliver` (the first batch: everything so far) until
    /// the container stops. Polls the engine, one job per poll, so a quiet follower costs little.
    static func follow(engine: some EngineAccess, namespace: String, pod: String, container: String?, withBanner: Bool = true,
                       deliver: ([LogLine]) async throws -> Void) async throws {
        // Followers end with the server: graceful shutdown stops the polling.
        let stopped = StopFlag()
        try await withGracefulShutdownHandler {
            var cursor = 0, first = true
            while !stopped.isSet {
            let after = cursor
            guard let step = await engine.run({ session in
                session.cluster.followLog(namespace: namespace, pod: pod, container: container, after: after, withBanner: withBanner).map(SendableLines.init)
            }) else { return }
            cursor = step.next
            if first || !step.lines.isEmpty { try await deliver(step.lines) }
            first = false
            if !step.running { return }
            try await Task.sleep(nanoseconds: 150_000_000)
            }
        } onGracefulShutdown: {
            stopped.set()
        }
    }
}

/// A follower's step, handed from the engine's job to the HTTP side.
struct SendableLines: Sendable {
    var lines: [LogLine]
    var next: Int
    var running: Bool
    init(_ t: (lines: [LogLine], next: Int, running: Bool)) { lines = t.lines; next = t.next; running = t.running }
}

/// Set once from any thread (a shutdown handler), read by a polling loop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
