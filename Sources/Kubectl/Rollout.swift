import ArgumentParser
import ClusterEngine
import ClusterModel
import Foundation

/// `kubectl rollout status|history|undo|restart|pause|resume` for Deployments
/// (kubectl-output §5.1–5.2; polymorphichelpers' status viewer, history viewer and rollbacker).
struct RolloutCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "rollout", abstract: "Manage the rollout of a resource.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("timeout")) var timeout: String?
    @Option(name: [.customShort("w"), .customLong("watch")]) var watch: Bool = true
    @Option(name: .customLong("to-revision")) var toRevision: Int = 0
    @Option(name: .customLong("revision")) var revision: Int = 0
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    static let subcommands = ["history", "pause", "restart", "resume", "status", "undo"]
    /// kubectl.1.33's `kubectl rollout` text, as printed with no subcommand (svclab rolls out
    /// Deployments only; the help is the real one).
    static let help = """
    Manage the rollout of one or many resources.
    \u{20}      \u{20}
     Valid resource types include:

      *  deployments
      *  daemonsets
      *  statefulsets

    Examples:
      # Rollback to the previous deployment
      kubectl rollout undo deployment/abc
     \u{20}
      # Check the rollout status of a daemonset
      kubectl rollout status daemonset/foo
     \u{20}
      # Restart a deployment
      kubectl rollout restart deployment/abc
     \u{20}
      # Restart deployments with the 'app=nginx' label
      kubectl rollout restart deployment --selector=app=nginx

    Available Commands:
      history       View rollout history
      pause         Mark the provided resource as paused
      restart       Restart a resource
      resume        Resume a paused resource
      status        Show the status of the rollout
      undo          Undo a previous rollout

    Usage:
      kubectl rollout SUBCOMMAND [options]

    Use "kubectl rollout <command> --help" for more information about a given command.
    Use "kubectl options" for a list of global command-line options (applies to all commands).
    """

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let sub = args.first else {
            out.out(Self.help)
            return out
        }
        guard Self.subcommands.contains(sub) else {
            out.fail("error: unknown command \(goQuote(args.joined(separator: " ")))\nSee 'kubectl rollout -h' for help and examples")
            return out
        }
        let targets: TargetSet
        switch TargetSet.resolve(Array(args.dropFirst()), selector: selector, all: false, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for item in targets.items {
            if item.type.kind == DaemonSetKind.kind, let ds = ctx.cluster.daemonSetObject(item.namespace, item.name) {
                let step: CommandOutput
                switch sub {
                case "status": step = daemonSetStatus(ds, ctx: ctx)
                case "restart": step = daemonSetRestart(ds, ctx: ctx)
                case "history", "undo":
                    var o = CommandOutput()
                    o.fail("error: svclab does not model DaemonSet revisions (ControllerRevisions) yet, so rollout \(sub) has nothing to read")
                    step = o
                default:
                    var o = CommandOutput()
                    o.fail("error: \(item.type.qualifiedResource) \(goQuote(item.name)) \(sub == "pause" ? "pausing" : "resuming") is not supported")
                    step = o
                }
                out.chunks += step.chunks
                if step.exitCode != 0 { out.exitCode = step.exitCode }
                continue
            }
            guard item.type.kind == "Deployment" else {
                out.fail(sub == "status" ? "error: no status viewer has been implemented for \(item.type.kind)"
                         : sub == "history" ? "error: no history viewer has been implemented for \(goQuote(item.type.kind))"
                         : sub == "undo" && ["Pod", "ReplicaSet", "ReplicationController", "Job", "CronJob"].contains(item.type.kind)
                            ? "error: no rollbacker has been implemented for \(goQuote(item.type.group.isEmpty ? item.type.kind : "\(item.type.kind).\(item.type.group)"))"
                         : sub == "undo" ? "error: error retrieving rollbacker for \(goQuote(item.type.kind)), no visitor method exists for {\(item.type.group) \(item.type.kind)}"
                         : "error: \(item.type.qualifiedResource) \(goQuote(item.name)) \(["pause": "pausing", "resume": "resuming", "restart": "restarting"][sub] ?? sub) is not supported")
                continue
            }
            guard let d = ctx.cluster.deployments.get(item.namespace, item.name) else {
                out.fail(ResourceType.deployment.notFound(item.name))
                continue
            }
            let step: CommandOutput
            switch sub {
            case "status": step = status(d, ctx: ctx)
            case "history": step = history(d, ctx: ctx)
            case "undo": step = undo(d, ctx: ctx)
            case "restart": step = restart(d, ctx: ctx)
            default: step = pause(d, paused: sub == "pause", ctx: ctx)
            }
            out.chunks += step.chunks
            if step.exitCode != 0 { out.exitCode = step.exitCode }
        }
        return out
    }

    // MARK: status

    /// DeploymentStatusViewer.Status: the line for the current state and whether it is final.
    static func statusLine(_ d: Deployment) -> (text: String, done: Bool, failed: Bool) {
        let name = goQuote(d.metadata.name)
        guard d.metadata.generation <= d.status.observedGeneration else {
            return ("Waiting for deployment spec update to be observed...\n", false, false)
        }
        let st = d.status
        if d.status.conditions.contains(where: { $0.type == "Progressing" && $0.reason == "ProgressDeadlineExceeded" }) {
            return ("deployment \(name) exceeded its progress deadline", true, true)
        }
        if st.updatedReplicas < d.desiredReplicas {
            return ("Waiting for deployment \(name) rollout to finish: \(st.updatedReplicas) out of \(d.desiredReplicas) new replicas have been updated...\n", false, false)
        }
        if st.replicas > st.updatedReplicas {
            return ("Waiting for deployment \(name) rollout to finish: \(st.replicas - st.updatedReplicas) old replicas are pending termination...\n", false, false)
        }
        if st.availableReplicas < st.updatedReplicas {
            return ("Waiting for deployment \(name) rollout to finish: \(st.availableReplicas) of \(st.updatedReplicas) updated replicas are available...\n", false, false)
        }
        return ("deployment \(name) successfully rolled out\n", true, false)
    }

    /// One status line: its text, whether the rollout is over, whether it failed.
    typealias StatusLine = (text: String, done: Bool, failed: Bool)

    /// kubectl's rollout status for any kind: a line for the current state, then (with --watch)
    /// one per watch event of the object, as UntilWithSync delivers them, until a line says
    /// done, the object goes, or the time runs out. `read` fetches the object's line now.
    private func watchStatus(kind: String, key: ObjectKey, ctx: KubectlContext, read: @escaping () -> StatusLine?,
                             defaultBudget: Millis, failure: (_ timedOut: Bool, _ limitSet: Bool) -> String) -> CommandOutput {
        let limit: Millis
        switch TimeoutFlag.millis(timeout, default: 0) {
        case let .failure(f): var o = CommandOutput(); o.fail(f.message); return o
        case let .success(ms): limit = ms
        }
        var driver = ClockDriver(ctx: ctx)
        var finished = false, failed = false, gone = false
        func report(_ line: StatusLine) {
            guard !finished else { return }
            if line.failed { failed = true; finished = true; return }
            driver.emit(.stdout, line.text)
            finished = line.done
        }
        guard let first = read() else { return driver.output }
        report(first)
        guard watch else {
            var o = driver.output
            if failed { o.fail("error: " + first.text) }
            return o
        }
        let id = ctx.cluster.watch { change in
            guard change.kind == kind, change.key == key, !finished else { return }
            if change.type == .deleted { gone = true; finished = true; return }
            if let line = read() { report(line) }
        }
        defer { ctx.cluster.unwatch(id) }
        let outcome = driver.run(limit: limit > 0 ? limit : defaultBudget) { finished }
        var o = driver.output
        if gone { o.fail("error: object has been deleted") }
        else if failed || outcome == .timedOut { o.fail(failure(outcome == .timedOut && !failed, limit > 0)) }
        return o
    }

    private func status(_ initial: Deployment, ctx: KubectlContext) -> CommandOutput {
        let key = ObjectKey(initial.metadata.namespace, initial.metadata.name)
        let deadline = "error: deployment \(goQuote(initial.metadata.name)) exceeded its progress deadline"
        // Without --timeout kubectl waits forever; a script stops at the progress deadline instead.
        return watchStatus(kind: Deployment.kind, key: key, ctx: ctx, read: { ctx.cluster.deployments.get(key).map(Self.statusLine) },
                           defaultBudget: Millis(initial.spec.progressDeadlineSeconds) * 1000) { timedOut, limitSet in
            timedOut && limitSet ? "error: timed out waiting for the condition" : deadline
        }
    }

    /// DaemonSetStatusViewer.Status (rollout_status.go).
    static func daemonSetStatusLine(_ ds: StoredObject) -> StatusLine {
        let status = ds["status"]
        func count(_ key: String) -> Int64 { status?[key]?.intValue ?? 0 }
        let name = goQuote(ds.metadata.name)
        guard ds.metadata.generation <= count("observedGeneration") else { return ("Waiting for daemon set spec update to be observed...\n", false, false) }
        let desired = count("desiredNumberScheduled")
        if count("updatedNumberScheduled") < desired {
            return ("Waiting for daemon set \(name) rollout to finish: \(count("updatedNumberScheduled")) out of \(desired) new pods have been updated...\n", false, false)
        }
        if count("numberAvailable") < desired {
            return ("Waiting for daemon set \(name) rollout to finish: \(count("numberAvailable")) of \(desired) updated pods are available...\n", false, false)
        }
        return ("daemon set \(name) successfully rolled out\n", true, false)
    }

    private func daemonSetStatus(_ initial: StoredObject, ctx: KubectlContext) -> CommandOutput {
        guard DaemonSetKind.updateStrategy(initial) == "RollingUpdate" else {
            var o = CommandOutput()
            o.fail("error: rollout status is only available for RollingUpdate strategy type")
            return o
        }
        let key = ObjectKey(initial.metadata.namespace, initial.metadata.name)
        // Without --timeout kubectl waits forever; a script stops after ten simulated minutes.
        return watchStatus(kind: DaemonSetKind.kind, key: key, ctx: ctx, read: {
            ctx.cluster.daemonSetObject(key.namespace, key.name).map(Self.daemonSetStatusLine)
        }, defaultBudget: 600_000) { _, _ in "error: timed out waiting for the condition" }
    }

    private func daemonSetRestart(_ ds: StoredObject, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        var template = DaemonSetKind.template(ds)
        let stamp = Timestamps.rfc3339(ctx.cluster.now)
        if template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] == stamp {
            out.fail("error: failed to create patch for \(ds.metadata.name): if restart has already been triggered within the past second, please wait before attempting to trigger another")
            return out
        }
        template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] = stamp
        ctx.update(.stored(DaemonSetKind.replacingTemplate(ds, template)), saying: "daemonset.apps/\(ds.metadata.name) restarted", into: &out)
        return out
    }

    // MARK: history

    static func revisions(of d: Deployment, cluster: Cluster) -> [(revision: Int, rs: ReplicaSet)] {
        cluster.replicaSets.list(namespace: d.metadata.namespace)
            .filter { $0.metadata.controllerRef?.uid == d.metadata.uid }
            .compactMap { rs in Int(rs.metadata.annotations["deployment.kubernetes.io/revision"] ?? "").map { ($0, rs) } }
            .sorted { $0.0 < $1.0 }
    }

    private func history(_ d: Deployment, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let all = Self.revisions(of: d, cluster: ctx.cluster)
        let title = "deployment.apps/\(d.metadata.name)"
        if revision > 0 {
            guard let rs = all.first(where: { $0.revision == revision })?.rs else {
                out.fail("error: unable to find the specified revision")
                return out
            }
            var w = DescribeWriter()
            w.raw = true
            var template = rs.spec.template
            template.metadata.annotations["deployment.kubernetes.io/revision"] = nil
            Describer(cluster: ctx.cluster).podTemplate(&w, template)
            out.outRaw("\(title) with revision #\(revision)\n" + w.finish() + "\n")
            return out
        }
        guard !all.isEmpty else {
            out.outRaw("\(title) \nNo rollout history found.\n")
            return out
        }
        var tw = TabWriter(minWidth: 10, padding: 2)
        let rows = ["REVISION\tCHANGE-CAUSE"] + all.map { "\($0.revision)\t\($0.rs.metadata.annotations["kubernetes.io/change-cause"] ?? "<none>")" }
        out.outRaw("\(title) \n" + tw.format(rows.joined(separator: "\n") + "\n") + "\n")
        return out
    }

    // MARK: undo

    private func undo(_ d: Deployment, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if d.spec.paused {
            out.fail("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
            return out
        }
        let all = Self.revisions(of: d, cluster: ctx.cluster)
        let target: (revision: Int, rs: ReplicaSet)?
        if toRevision > 0 {
            target = all.first { $0.revision == toRevision }
            if target == nil { out.fail("error: unable to find specified revision \(toRevision) in history"); return out }
        } else {
            // The previous revision: the second highest.
            target = all.count >= 2 ? all[all.count - 2] : nil
            if target == nil { out.fail("error: no rollout history found for deployment \(goQuote(d.metadata.name))"); return out }
        }
        guard let (rev, rs) = target else { return out }
        var template = rs.spec.template
        template.metadata.labels["pod-template-hash"] = nil
        if template == d.spec.template {
            out.out("deployment.apps/\(d.metadata.name) skipped rollback (current template already matches revision \(rev))")
            return out
        }
        var updated = d
        updated.spec.template = template
        // The rollbacker carries the ReplicaSet's change-cause back onto the Deployment.
        if let cause = rs.metadata.annotations["kubernetes.io/change-cause"] { updated.metadata.annotations["kubernetes.io/change-cause"] = cause }
        else { updated.metadata.annotations["kubernetes.io/change-cause"] = nil }
        ctx.update(.deployment(updated), saying: "deployment.apps/\(d.metadata.name) rolled back", into: &out)
        return out
    }

    // MARK: restart, pause, resume

    private func restart(_ d: Deployment, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if d.spec.paused {
            out.fail("error: can't restart paused deployment (run rollout resume first)")
            return out
        }
        let stamp = Timestamps.rfc3339(ctx.cluster.now)
        if d.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] == stamp {
            out.fail("error: failed to create patch for \(d.metadata.name): if restart has already been triggered within the past second, please wait before attempting to trigger another")
            return out
        }
        var updated = d
        updated.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] = stamp
        ctx.update(.deployment(updated), saying: "deployment.apps/\(d.metadata.name) restarted", into: &out)
        return out
    }

    private func pause(_ d: Deployment, paused: Bool, ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if d.spec.paused == paused {
            out.fail("error: deployments.apps \(goQuote(d.metadata.name)) is \(paused ? "already paused" : "not paused")")
            return out
        }
        var updated = d
        updated.spec.paused = paused
        ctx.update(.deployment(updated), saying: "deployment.apps/\(d.metadata.name) \(paused ? "paused" : "resumed")", into: &out)
        return out
    }
}
