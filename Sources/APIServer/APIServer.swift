import ClusterEngine
import ClusterModel
import Foundation
import Hummingbird
import Logging
import HTTPTypes
import Kubectl
import NIOCore

/// `svclab serve`: Hummingbird 2 over `ClusterHost`. Every request becomes an `APIRequest`,
/// is answered by `APIHandler` inside the host actor (so the engine sees one request at a
/// time), and goes back as JSON. The clock runs at wall time × speed, driven by a loop here
/// from the injected wall clock.
public enum APIServer {
    public struct Options: Sendable {
        public var address: String
        public var port: Int
        public var speed: Double
        public init(address: String, port: Int, speed: Double) { self.address = address; self.port = port; self.speed = speed }
    }

    /// Serves until SIGINT or SIGTERM. `onListening` gets the port (useful with port 0).
    public static func run(session: sending Session, options: Options, wallClock: @escaping @Sendable () -> Double,
                           onListening: @escaping @Sendable (Int) -> Void) async throws {
        let host = ClusterHost(session: session, speed: options.speed)
        let address = "\(options.address):\(options.port)"
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            var query: [String: String] = [:]
            for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
            let r = APIRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                               accept: request.headers[.accept] ?? "application/json",
                               contentType: request.headers[.contentType] ?? "", body: String(buffer: body))
            if r.method == "GET", ["true", "1"].contains(r.query["watch"] ?? ""), case let .resource(path) = ResourcePath.parse(r.path), path.subresource == nil {
                return await watchResponse(r, path, host: host)
            }
            let answer = await host.with { APIHandler.handle(r, session: $0, serverAddress: address) }
            var headers: HTTPFields = [.contentType: answer.contentType]
            if let warning = answer.warning, let name = HTTPField.Name("Warning") { headers[name] = "299 - \"\(warning)\"" }
            return Response(status: .init(code: answer.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname(options.address, port: options.port), serverName: nil),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? options.port) },
                              logger: quietLogger())
        let clock = Task {
            while !Task.isCancelled {
                await host.tick(wallSeconds: wallClock())
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        defer { clock.cancel() }
        try await app.runService()
    }

    /// A chunked stream of watch events until the client goes away (or the server stops).
    static func watchResponse(_ r: APIRequest, _ path: ResourcePath, host: ClusterHost) async -> Response {
        let (events, continuation) = AsyncStream<String>.makeStream()
        let id = await host.startWatch(r, path) { continuation.yield($0) }
        continuation.onTermination = { _ in Task { await host.stopWatch(id) } }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            defer { continuation.finish() }
            for await line in events {
                try await writer.write(ByteBuffer(string: line + "\n"))
            }
            try await writer.finish(nil)
        })
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "svclab-serve")
        logger.logLevel = .warning
        return logger
    }

    /// The kubeconfig `serve` writes: cluster, context and user `kind-svclab`, as kind names them.
    public static func kubeconfig(server: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(server)
          name: kind-svclab
        contexts:
        - context:
            cluster: kind-svclab
            user: kind-svclab
          name: kind-svclab
        current-context: kind-svclab
        preferences: {}
        users:
        - name: kind-svclab
          user: {}

        """
    }

    /// Whether `path` may be written: absent, or a kubeconfig svclab wrote (never another
    /// cluster's config).
    public static func mayWriteKubeconfig(at path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return !FileManager.default.fileExists(atPath: path) }
        return text.contains("name: kind-svclab") && !text.contains("certificate-authority") && text.components(separatedBy: "- cluster:").count == 2
    }
}
