import ClusterEngine
import ClusterModel

/// Drives a watch on behalf of an interactive terminal: the wall clock and Ctrl-C.
public struct LiveClock {
    /// The virtual time the terminal has reached (wall time since the session started).
    public var now: () -> Millis
    /// True once the user pressed Ctrl-C (the flag is cleared by the caller before a watch).
    public var interrupted: () -> Bool
    /// Waits a little wall time.
    public var pause: () -> Void
    /// Writes output at once (a live watch cannot wait for the command to end).
    public var emit: (CommandOutput.Stream, String) -> Void
    public init(now: @escaping () -> Millis, interrupted: @escaping () -> Bool, pause: @escaping () -> Void,
                emit: @escaping (CommandOutput.Stream, String) -> Void) {
        self.now = now; self.interrupted = interrupted; self.pause = pause; self.emit = emit
    }
}

/// `kubectl get … -w` (reference §6.10): the current table, then one row per watch event, with
/// column widths that only grow. From a pipe the watch never hangs: it ends at
/// `--request-timeout`, or once nothing in the cluster has changed for 10 simulated seconds.
extension GetCommand {
    static let idleLimit: Millis = 10_000

    func runWatch(_ req: Request, selector: LabelSelectorExpression, ctx: KubectlContext, wide: Bool, namesOnly: Bool, output: CommandOutput) -> CommandOutput {
        var out = output
        let t = req.type
        let cluster = ctx.cluster
        let printer = TableConvertor(now: cluster.now)
        let withNamespace = allNamespaces && t.namespaced && req.names.isEmpty
        let namespace: String? = (allNamespaces || !t.namespaced) && req.names.isEmpty ? nil : (t.namespaced ? ctx.namespace : "")
        var writer = TabWriter(rememberWidths: true)
        let live = ctx.session.live

        // Everything printed goes out at once at a terminal, or into the command's output.
        var buffered = out
        func emit(_ text: String) {
            if let live { live.emit(.stdout, text) } else { buffered.outRaw(text) }
        }
        if let live {
            for (stream, text) in out.chunks { live.emit(stream, text) }
            buffered = CommandOutput()
        }

        func rowCells(_ o: ListedObject, event: String) -> [String] {
            var row = o.row
            if withNamespace { row.insert(o.namespace, at: 0) }
            if showLabels { row.append(formatLabels(o.labels)) }
            if outputWatchEvents { row.insert(event, at: 0) }
            return row
        }
        func line(_ o: ListedObject, event: String) -> String {
            namesOnly ? "\(t.prefix)/\(o.name)\n" : writer.format(rowCells(o, event: event).joined(separator: "\t") + "\n")
        }
        func wanted(_ key: ObjectKey) -> Bool {
            if let namespace, key.namespace != namespace { return false }
            return req.names.isEmpty || req.names.contains(key.name)
        }
        func current(_ key: ObjectKey) -> ListedObject? {
            list(t, namespace: t.namespaced ? key.namespace : "", ctx: ctx, printer: printer, wide: wide, name: key.name).first
        }

        // Initial listing (a synthetic ADDED per object).
        var initial: [ListedObject] = []
        if req.names.isEmpty {
            initial = list(t, namespace: namespace, ctx: ctx, printer: printer, wide: wide).filter { selector.matches($0.labels) }
        } else {
            for name in req.names {
                if let o = list(t, namespace: namespace, ctx: ctx, printer: printer, wide: wide, name: name).first { initial.append(o) }
                else {
                    out.fail(t.notFound(name))
                    return out
                }
            }
        }
        var lastSeen: [ObjectKey: ListedObject] = [:]
        for o in initial { lastSeen[ObjectKey(o.namespace, o.name)] = o }
        if !watchOnly {
            if !namesOnly {
                var header = TableConvertor.header(for: t, wide: wide)
                if withNamespace { header.insert("NAMESPACE", at: 0) }
                if showLabels { header.append("LABELS") }
                if outputWatchEvents { header.insert("EVENT", at: 0) }
                // With nothing listed, kubectl prints nothing until the first event.
                if !initial.isEmpty {
                    let lines = [header.joined(separator: "\t")] + initial.map { rowCells($0, event: "ADDED").joined(separator: "\t") }
                    emit(writer.format(lines.joined(separator: "\n") + "\n"))
                }
            } else {
                for o in initial { emit("\(t.prefix)/\(o.name)\n") }
            }
        }

        // Watch events, rendered at the moment they happen.
        var lastChange = cluster.now
        var headerPending = !watchOnly && initial.isEmpty && !namesOnly
        let id = cluster.watch { change in
            lastChange = cluster.now
            guard change.kind == t.kind, wanted(change.key) else { return }
            let previous = lastSeen[change.key]
            switch change.type {
            case .deleted:
                guard let last = previous else { return }
                lastSeen[change.key] = nil
                emit(line(last, event: "DELETED"))
            case .added, .modified:
                guard let now = current(change.key) else { return }
                let matches = selector.matches(now.labels)
                if !matches {
                    // Leaving the selector looks like a deletion to a label-selector watch.
                    if previous != nil { lastSeen[change.key] = nil; emit(line(previous!, event: "DELETED")) }
                    return
                }
                if headerPending {
                    var header = TableConvertor.header(for: t, wide: wide)
                    if withNamespace { header.insert("NAMESPACE", at: 0) }
                    if showLabels { header.append("LABELS") }
                    if outputWatchEvents { header.insert("EVENT", at: 0) }
                    emit(writer.format(header.joined(separator: "\t") + "\n"))
                    headerPending = false
                }
                lastSeen[change.key] = now
                emit(line(now, event: previous == nil ? "ADDED" : "MODIFIED"))
            }
        }
        defer { cluster.unwatch(id) }

        let timeout = global.requestTimeout.flatMap { Durations.parseSleep($0) }.map { Millis(min($0, Durations.maxJumpSeconds) * 1000) }
        let start = cluster.now
        if let live {
            while !live.interrupted() {
                if let timeout, timeout > 0, cluster.now - start >= timeout { break }
                live.pause()
                cluster.advance(to: max(cluster.now, live.now()))
            }
            // The terminal echoed ^C; finish that line as a shell would.
            if live.interrupted() { live.emit(.stdout, "\n") }
        } else {
            while true {
                let deadline = (timeout.map { $0 > 0 ? start + $0 : Millis.max }) ?? Millis.max
                let idleEnd = lastChange + Self.idleLimit
                let end = timeout != nil && timeout! > 0 ? deadline : idleEnd
                if cluster.interrupted { break }
                if let next = cluster.nextTimerDue, next <= end {
                    cluster.advance(to: next)
                    continue
                }
                cluster.advance(to: end)
                if timeout == nil && lastChange + Self.idleLimit > cluster.now { continue }
                break
            }
        }
        return buffered
    }
}
