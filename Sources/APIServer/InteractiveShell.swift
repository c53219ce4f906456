import ClusterEngine
import ClusterModel
import Foundation
import Kubectl
import NIOCore

/// `kubectl exec -it POD -- sh` (and `kubectl run -it … -- sh`, attached): a shell that reads
/// stdin (channel 0) line by line and runs each line with the simulated tools, as
/// `kubectl exec POD -- sh -c LINE` would. With a TTY it is its own line discipline — echo,
/// backspace, Ctrl-C, Ctrl-D, `\r\n` — since kubectl puts the local terminal in raw mode.
/// `exit [N]` or the end of stdin ends it with that status.
struct InteractiveShell {
    let target: ExecStream.Target
    let prompt: String

    init(target: ExecStream.Target, image: String) {
        self.target = target
        let base = AppProfile.split(image).repo.split(separator: "/").last.map(String.init) ?? ""
        // busybox-style images show `/ # `; Debian-based ones (nginx, httpd, dnsutils) bash's.
        let bashImages: Set<String> = ["nginx", "httpd", "debian", "ubuntu", "jessie-dnsutils", "postgres", "redis"]
        prompt = bashImages.contains(base) ? "root@\(target.pod):/# " : "/ # "
    }

    /// The commands that start an interactive shell.
    static func isShell(_ command: [String]) -> Bool {
        guard command.count == 1, let program = command.first else { return false }
        return ["sh", "bash", "ash"].contains(program.split(separator: "/").last.map(String.init) ?? program)
    }

    /// Runs until exit; `input` yields stdin bytes (nil at its end), `send` writes a frame.
    func run(engine: some EngineAccess, input: () async throws -> [UInt8]?, send: (UInt8, String) async throws -> Void) async throws -> Int32 {
        let tty = target.tty
        var line: [UInt8] = []
        var status: Int32 = 0
        if tty { try await send(1, prompt) }
        func out(_ text: String) async throws {
            try await send(1, tty ? text.replacingOccurrences(of: "\n", with: "\r\n") : text)
        }
        /// Runs one line; returns an exit status when the line was `exit`.
        func execute(_ text: String) async throws -> Int32? {
            let words = text.split(separator: " ").map(String.init)
            if words.first == "exit" { return words.count > 1 ? Int32(words[1]) ?? 2 : status }
            if words.isEmpty { return nil }
            let t = target
            let last = status
            let outcome = await engine.run { session in
                ContainerProcess.run(session: session, namespace: t.namespace, pod: t.pod, container: t.container,
                                     command: ["sh", "-c", text], tty: t.tty, lastStatus: last)
            }
            switch outcome {
            case let .ran(chunks, code):
                for (stream, text) in chunks { if stream == .stderr && !tty { try await send(2, text) } else { try await out(text) } }
                status = code
            case let .refused(_, _, message):
                try await out(message + "\n")
                return 1
            }
            return nil
        }
        while let bytes = try await input() {
            for b in bytes {
                switch b {
                case 0x0d, 0x0a:
                    if b == 0x0a && tty && line.isEmpty { continue }
                    if tty { try await send(1, "\r\n") }
                    let text = String(decoding: line, as: UTF8.self)
                    line.removeAll()
                    if let code = try await execute(text) { return code }
                    if tty { try await send(1, prompt) }
                case 0x7f, 0x08 where tty:
                    if !line.isEmpty { line.removeLast(); try await send(1, "\u{8} \u{8}") }
                case 0x03 where tty:
                    line.removeAll()
                    try await send(1, "^C\r\n" + prompt)
                case 0x04 where tty:
                    if line.isEmpty { try await send(1, "exit\r\n"); return status }
                default:
                    line.append(b)
                    if tty { try await send(1, String(decoding: [b], as: UTF8.self)) }
                }
            }
        }
        // End of stdin: a last line without its newline still runs.
        if !line.isEmpty, let code = try await execute(String(decoding: line, as: UTF8.self)) { return code }
        return status
    }
}
