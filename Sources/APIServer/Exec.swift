import ClusterModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Kubectl
import Logging
import NIOCore

/// `kubectl exec` (and `attach`) over WebSocket, subprotocol `v5.channel.k8s.io`, as kubectl
/// 1.30+ speaks it: the first byte of each binary frame is the channel (0 stdin, 1 stdout,
/// 2 stderr, 3 status, 4 resize, 255 close). The process runs in the simulation as
/// `kubectl exec` would run it; its output goes out on 1 and 2, then a Status on 3.
enum ExecStream {
    static let subprotocol = "v5.channel.k8s.io"

    struct Target: Sendable {
        var namespace: String
        var pod: String
        var container: String?
        var command: [String]
        var tty: Bool
    }

    /// `/api/v1/namespaces/NS/pods/NAME/exec?command=…` (repeated) — nil for anything else.
    static func target(_ request: HTTPRequest) -> Target? {
        guard let path = request.path, path.hasPrefix("/api/v1/namespaces/") else { return nil }
        let (rawPath, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
        let parts = rawPath.split(separator: "/").map(String.init)
        guard parts.count == 7, parts[4] == "pods", parts[6] == "exec" || parts[6] == "attach" else { return nil }
        var command: [String] = [], container: String?, tty = false
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "command": command.append(kv[1])
            case "container": container = kv[1]
            case "tty": tty = kv[1] == "true"
            default: break
            }
        }
        return Target(namespace: parts[3], pod: parts[5], container: container, command: command, tty: tty)
    }

    /// The frames the process's outcome becomes.
    static func frames(_ outcome: ContainerProcess.Outcome) -> [ByteBuffer] {
        func frame(_ channel: UInt8, _ text: String) -> ByteBuffer { ByteBuffer(bytes: [channel] + Array(text.utf8)) }
        switch outcome {
        case let .ran(chunks, exitCode):
            var out = chunks.map { frame($0.0 == .stdout ? 1 : 2, $0.1) }
            if exitCode == 0 {
                out.append(frame(3, #"{"metadata":{},"status":"Success"}"#))
            } else {
                out.append(frame(3, #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status \#(exitCode)","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"\#(exitCode)"}]}}"#))
            }
            return out
        case let .refused(status, reason, message):
            let json = Value.object([("metadata", .object([])), ("status", .string("Failure")), ("message", .string(message)),
                                     ("reason", .string(reason)), ("code", .int(Int64(status)))]).jsonString(sortedKeys: false)
            return [frame(3, json)]
        }
    }

    /// The upgrade decision for the HTTP server: exec/attach paths with kubectl's subprotocol
    /// (and the token, when one is required) upgrade; everything else stays HTTP.
    static func shouldUpgrade(engine: some EngineAccess, token: String?) -> @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        { request, _, _ in
            guard let target = target(request),
                  let protocols = request.headerFields[HTTPField.Name("Sec-WebSocket-Protocol")!],
                  protocols.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(subprotocol) else { return .dontUpgrade }
            if let token, request.headerFields[.authorization] != "Bearer \(token)" { return .dontUpgrade }
            var headers = HTTPFields()
            headers[HTTPField.Name("Sec-WebSocket-Protocol")!] = subprotocol
            return .upgrade(headers) { inbound, outbound, _ in
                // Stdin (channel 0) is not read yet: the simulated tools take no input.
                let outcome = await engine.run { session in
                    ContainerProcess.run(session: session, namespace: target.namespace, pod: target.pod, container: target.container,
                                         command: target.command, tty: target.tty)
                }
                for f in frames(outcome) { try await outbound.write(.binary(f)) }
                try await outbound.close(.normalClosure, reason: nil)
                _ = inbound
            }
        }
    }
}
