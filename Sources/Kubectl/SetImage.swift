import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl set image TYPE/NAME CONTAINER=IMAGE…` (also `*=IMAGE` for every container) on
/// Deployments, ReplicaSets and Pods. Only `set image` is modelled of the `set` family.
struct SetCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set specific features on objects.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: .customLong("all")) var all = false
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let sub = args.first else {
            out.out("""
            Configure application resources.

             These commands help you make changes to existing application resources.

            Available Commands:
              env              Update environment variables on a pod template
              image            Update the image of a pod template
              resources        Update resource requests/limits on objects with pod templates
              selector         Set the selector on a resource
              serviceaccount   Update the service account of a resource
              subject          Update the user, group, or service account in a role binding or cluster role binding

            Usage:
              kubectl set SUBCOMMAND [options]

            Use "kubectl set <command> --help" for more information about a given command.
            Use "kubectl options" for a list of global command-line options (applies to all commands).
            """)
            return out
        }
        guard sub == "image" else {
            if ["env", "resources", "selector", "serviceaccount", "subject"].contains(sub) {
                out.fail("error: svclab does not model \"kubectl set \(sub)\" yet (supported: set image)")
            } else {
                // cobra: the unknown words, joined, as kubectl.1.33 prints them.
                out.fail("error: unknown command \(goQuote(args.joined(separator: " ")))\nSee 'kubectl set -h' for help and examples")
            }
            return out
        }
        let words = Array(args.dropFirst())
        let pairs = words.filter { $0.contains("=") }
        let resources = words.filter { !$0.contains("=") }
        guard !pairs.isEmpty else {
            out.fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples")
            return out
        }
        var images: [(container: String, image: String)] = []
        for p in pairs {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                out.fail("error: invalid image \(p)"); return out
            }
            images.append((parts[0], parts[1]))
        }
        let targets: TargetSet
        switch TargetSet.resolve(resources, selector: selector, all: all, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(t): targets = t
        }
        for item in targets.items {
            let name = "\(item.type.prefix)/\(item.name)"
            guard var object = ctx.cluster.get(kind: item.type.kind, namespace: item.namespace, name: item.name) else {
                out.fail(item.type.notFound(item.name))
                continue
            }
            var failed = false
            let changed: Bool
            switch object {
            case var .deployment(d):
                changed = apply(images, to: &d.spec.template.spec.containers, failed: &failed, out: &out)
                object = .deployment(d)
            case var .replicaSet(rs):
                changed = apply(images, to: &rs.spec.template.spec.containers, failed: &failed, out: &out)
                object = .replicaSet(rs)
            case var .pod(p):
                changed = apply(images, to: &p.spec.containers, failed: &failed, out: &out)
                object = .pod(p)
            case let .stored(o) where o.objectKind == DaemonSetKind.kind:
                var template = DaemonSetKind.template(o)
                changed = apply(images, to: &template.spec.containers, failed: &failed, out: &out)
                object = .stored(DaemonSetKind.replacingTemplate(o, template))
            default:
                out.fail("error: \(name) the object is not a pod or does not have a pod template: \(item.type.kind)")
                continue
            }
            if failed { continue }
            // No change: kubectl's patch is `{}` and it prints nothing.
            guard changed else { continue }
            ctx.update(object, saying: "\(name) image updated", into: &out)
        }
        return out
    }

    private func apply(_ images: [(container: String, image: String)], to containers: inout [Container], failed: inout Bool, out: inout CommandOutput) -> Bool {
        var changed = false
        for (name, image) in images {
            var found = false
            for i in containers.indices where name == "*" || containers[i].name == name {
                found = true
                if containers[i].image != image { containers[i].image = image; changed = true }
            }
            if !found {
                out.fail("error: unable to find container named \(goQuote(name))")
                failed = true
            }
        }
        return changed
    }
}
