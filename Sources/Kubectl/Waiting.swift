import ClusterEngine
import ClusterModel

/// Moves the virtual clock for commands that wait on the cluster (`rollout status`, `wait`).
///
/// From a pipe it jumps from one timer to the next until the condition holds or the time
/// limit passes, so a script never hangs; at a terminal it follows the live clock and stops
/// at Ctrl-C. Output written through `emit` reaches a terminal at once.
struct ClockDriver {
    let ctx: KubectlContext
    private(set) var output = CommandOutput()

    init(ctx: KubectlContext) { self.ctx = ctx }

    mutating func emit(_ stream: CommandOutput.Stream, _ text: String) {
        if let live = ctx.session.live { live.emit(stream, text) }
        else if stream == .stdout { output.outRaw(text) } else { output.chunks.append((.stderr, text)) }
    }

    enum Outcome { case done, timedOut, interrupted }

    /// Advances until `done()` holds or `limit` ms of simulated time have passed.
    func run(limit: Millis, done: () -> Bool) -> Outcome {
        let cluster = ctx.cluster
        // A script cannot wait 290 years: one command moves the clock at most a week.
        let limit = min(limit, Millis(Durations.maxJumpSeconds * 1000))
        let deadline = cluster.now + limit
        if let live = ctx.session.live {
            while true {
                if done() { return .done }
                if live.interrupted() { live.emit(.stdout, "\n"); return .interrupted }
                if cluster.now >= deadline { return .timedOut }
                live.pause()
                cluster.advance(to: min(deadline, max(cluster.now, live.now())))
            }
        }
        while true {
            if done() { return .done }
            if cluster.interrupted { return .interrupted }
            if cluster.now >= deadline { return .timedOut }
            if let next = cluster.nextTimerDue, next <= deadline {
                cluster.advance(to: max(next, cluster.now))
            } else {
                // Nothing will change before the deadline: jump there.
                cluster.advance(to: deadline)
            }
        }
    }
}

/// kubectl's `--timeout` values (`30s`, `5m`, `0`, `-1s` = a week).
enum TimeoutFlag {
    static func millis(_ text: String?, default fallback: Millis) -> Result<Millis, KubectlFailure> {
        guard let text else { return .success(fallback) }
        let negative = text.hasPrefix("-")
        guard let magnitude = Durations.parseGo(negative ? String(text.dropFirst()) : text) else {
            return .failure(KubectlFailure("error: invalid argument \"\(text)\" for \"--timeout\" flag: time: invalid duration \(goQuote(text))"))
        }
        if negative && magnitude > 0 { return .success(7 * 24 * 3_600_000) }
        return .success(Millis((magnitude * 1000).rounded()))
    }
}
