import ClusterModel
import Diagnosis

/// A diagnosis' fix as the kubectl line that applies it (or shows where to look): what `why`
/// prints under "Fix:" and "Tip:". The fix itself is a value (`Diagnosis.Fix`).
public enum FixCommand {
    public static func text(_ fix: Fix) -> String {
        switch fix {
        case let .addSelector(service, key, value):
            return "kubectl patch svc \(service) -p '{\"spec\":{\"selector\":{\"\(key)\":\"\(value ?? "<your-\(key)>")\"}}}'"
        case let .replaceSelectorTerm(service, key, newKey, value):
            if key == newKey {
                return "kubectl patch svc \(service) -p '{\"spec\":{\"selector\":{\"\(key)\":\"\(value)\"}}}'"
            }
            // One JSON patch renames the key (a merge patch cannot remove and add in one go).
            return "kubectl patch svc \(service) --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/selector/\(pointerToken(key))\"},{\"op\":\"add\",\"path\":\"/spec/selector/\(pointerToken(newKey))\",\"value\":\"\(value)\"}]'"
        case let .moveService(service, from, to):
            return "kubectl get svc \(service) -n \(from) -o yaml | sed 's/namespace: \(from)/namespace: \(to)/' | kubectl apply -f -"
        case let .inspectPodLabels(namespace):
            return "kubectl get pods -n \(namespace) --show-labels   # then fix the Service's selector or the pods' labels"
        case let .addTemplateLabel(deployment, key, value):
            return "kubectl patch deployment \(deployment) -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"\(key)\":\"\(value)\"}}}}}'"
        case let .labelPod(pod, label):
            return "kubectl label pod \(pod) \(label)"
        case let .setTargetPort(service, index, target):
            let value: String
            switch target {
            case let .int(n): value = String(n)
            case let .string(name): value = "\"\(name)\""
            }
            return "kubectl patch svc \(service) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/\(index)/targetPort\",\"value\":\(value)}]'"
        case let .setPortProtocol(service, index, proto):
            return "kubectl patch svc \(service) --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/\(index)/protocol\",\"value\":\"\(proto)\"}]'"
        case let .replaceImage(pod, container, port):
            return "kubectl set image pod/\(pod) \(container)=<an image that serves on \(port)>"
        case let .satisfyReadinessGate(pod, gate):
            return "kubectl patch pod \(pod) --subresource=status -p '{\"status\":{\"conditions\":[{\"type\":\"\(gate)\",\"status\":\"True\"}]}}'   # what the gate's controller would do"
        case let .describePod(pod):
            return "kubectl describe pod \(pod)   # see the Readiness line and the Unhealthy events"
        case let .scale(deployment, replicas):
            return "kubectl scale deployment \(deployment) --replicas=\(replicas)"
        }
    }

    /// A JSON pointer's reference token (RFC 6901): `~` as `~0`, `/` as `~1`.
    private static func pointerToken(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
