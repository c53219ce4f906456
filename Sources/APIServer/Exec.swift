import ClusterEngine
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
        var attach: Bool
        var stdin = false
    }

    /// A request for the WebSocket upgrade (the HTTP side answers ones that were declined).
    static func asksForUpgrade(_ r: APIRequest) -> Bool { r.upgrade?.lowercased().contains("websocket") ?? false }

    /// `/api/v1/namespaces/NS/pods/NAME/exec?command=…` (repeated) — nil for anything else.
    static func target(_ request: HTTPRequest) -> Target? {
        guard let path = request.path, path.hasPrefix("/api/v1/namespaces/") else { return nil }
        let (rawPath, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
        let parts = rawPath.split(separator: "/").map(String.init)
        guard parts.count == 7, parts[4] == "pods", parts[6] == "exec" || parts[6] == "attach" else { return nil }
        var command: [String] = [], container: String?, tty = false, stdin = false
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "command": command.append(kv[1])
            case "container": container = kv[1]
            case "tty": tty = kv[1] == "true"
            case "stdin": stdin = kv[1] == "true"
            default: break
            }
        }
        return Target(namespace: parts[3], pod: parts[5], container: container, command: command, tty: tty, attach: parts[6] == "attach", stdin: stdin)
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

    /// Runs an interactive shell over the WebSocket: stdin from channel 0 (255 closes it),
    /// output on 1 (2 without a TTY), the exit status on 3.
    static func interactive(_ shell: InteractiveShell, engine: some EngineAccess, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws -> Int32 {
        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        let code = try await shell.run(engine: engine, input: {
            while let message = try await messages.next() {
                guard case let .binary(buffer) = message, let channel = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { continue }
                let payload = buffer.getBytes(at: buffer.readerIndex + 1, length: buffer.readableBytes - 1) ?? []
                switch channel {
                case 0: if !payload.isEmpty { return payload }
                case 255: return nil   // stdin closed
                default: continue      // resize (4) and others
                }
            }
            return nil
        }, send: { channel, text in
            try await outbound.write(.binary(ByteBuffer(bytes: [channel] + Array(text.utf8))))
        })
        for f in frames(.ran(chunks: [], exitCode: code)) { try await outbound.write(.binary(f)) }
        try await outbound.close(.normalClosure, reason: nil)
        return code
    }

    /// `kubectl attach` (and `run -i`): what the container's process writes, from the start of
    /// this instance, until it stops; then a Success status. Stdin is not read (the simulated
    /// processes take no input).
    static func attach(_ target: Target, engine: some EngineAccess, send: (ByteBuffer) async throws -> Void) async throws {
        // The image's start-up banner was written before anyone attached: the engine leaves it out.
        try await PodLogs.follow(engine: engine, namespace: target.namespace, pod: target.pod, container: target.container, withBanner: false) { lines in
            for line in lines {
                try await send(ByteBuffer(bytes: [line.stderr && !target.tty ? 2 : 1] + Array((line.text + (target.tty ? "\r\n" : "\n")).utf8)))
            }
        }
        try await send(ByteBuffer(bytes: [3] + Array(#"{"metadata":{},"status":"Success"}"#.utf8)))
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
            if target.attach {
                // The kubelet attaches only to a running container; otherwise the HTTP side
                // answers with its error (kubectl run then falls back to the logs).
                let state = await engine.run { session -> (running: Bool, command: [String], image: String) in
                    let pod = session.cluster.pods.get(target.namespace, target.pod)
                    let c = pod?.spec.containers.first { $0.name == target.container } ?? pod?.spec.containers.first
                    return (session.cluster.containerRunning(namespace: target.namespace, pod: target.pod, container: target.container),
                            (c?.command ?? []) + (c?.args ?? []), c?.image ?? "")
                }
                guard state.running else { return .dontUpgrade }
                // A shell as the container's process (`kubectl run -it … -- sh`): attach to it.
                if target.stdin, InteractiveShell.isShell(state.command) {
                    var attached = target
                    attached.command = state.command
                    let shell = InteractiveShell(target: attached, image: state.image)
                    return .upgrade(headers) { inbound, outbound, _ in
                        let code = try await interactive(shell, engine: engine, inbound: inbound, outbound: outbound)
                        // The shell was the container's process: it ends, as on a node.
                        await engine.run { $0.cluster.endProcess(namespace: target.namespace, pod: target.pod, container: target.container, exitCode: code) }
                    }
                }
                return .upgrade(headers) { _, outbound, _ in
                    try await attach(target, engine: engine) { try await outbound.write(.binary($0)) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            if target.stdin, InteractiveShell.isShell(target.command) {
                let check = await engine.run { session in
                    ContainerProcess.run(session: session, namespace: target.namespace, pod: target.pod, container: target.container, command: ["true"], tty: false)
                }
                let image = await engine.run { session in
                    session.cluster.pods.get(target.namespace, target.pod).flatMap { p in (p.spec.containers.first { $0.name == target.container } ?? p.spec.containers.first)?.image } ?? ""
                }
                return .upgrade(headers) { inbound, outbound, _ in
                    if case .refused = check {
                        for f in frames(check) { try await outbound.write(.binary(f)) }
                        try await outbound.close(.normalClosure, reason: nil)
                        return
                    }
                    _ = try await interactive(InteractiveShell(target: target, image: image), engine: engine, inbound: inbound, outbound: outbound)
                }
            }
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
