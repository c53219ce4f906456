import ClusterModel

/// The LoadBalancer address controller kind's cloud-provider-kind or MetalLB runs: assigns an
/// address from the pool to each `type: LoadBalancer` Service (its `loadBalancerIP` if asked
/// and free), and releases it when the Service changes type or goes (MetalLB's events).
final class LoadBalancerController: QueueController {
    /// The addresses it hands out (nil range: a bare cluster, EXTERNAL-IP stays `<pending>`).
    private lazy var pool = LoadBalancerPool(range: cluster.config.loadBalancerPool)

    override func serviceChanged(old: Service?, new: Service?, _ key: ObjectKey) {
        guard let svc = new else {
            for i in old?.loadBalancerIngress ?? [] { if let ip = i.ip { pool.release(ip) } }
            return
        }
        if svc.spec.type == .loadBalancer || !svc.loadBalancerIngress.isEmpty { queue.append(key) }
    }

    override func sync(_ key: ObjectKey) {
        guard var svc = cluster.services.get(key) else { return }
        let ref = cluster.reference(Service.kind, svc.metadata)
        if svc.spec.type == .loadBalancer {
            guard svc.loadBalancerIngress.isEmpty, svc.spec.loadBalancerClass == nil else { return }
            let wanted = svc.spec.loadBalancerIP
            let ip: String?
            if !wanted.isEmpty {
                ip = pool.claim(wanted) ? wanted : nil
                if ip == nil {
                    cluster.recordEvent(ref, type: "Warning", reason: "AllocationFailed", message: "Failed to allocate IP for \(goQuote("\(key.namespace)/\(key.name)")): \(goQuote(wanted)) is not allowed in config", component: "metallb-controller")
                    return
                }
            } else {
                ip = pool.take()
            }
            // No pool (a bare cluster) or an exhausted one: EXTERNAL-IP stays <pending>.
            guard let ip else { return }
            svc.loadBalancerIngress = [LoadBalancerIngress(ip: ip, ipMode: "VIP")]
            cluster.putService(svc)
            cluster.recordEvent(ref, reason: "IPAllocated", message: "Assigned IP [\"\(ip)\"]", component: "metallb-controller")
        } else if !svc.loadBalancerIngress.isEmpty {
            for i in svc.loadBalancerIngress { if let ip = i.ip { pool.release(ip) } }
            svc.loadBalancerIngress = []
            cluster.putService(svc)
        }
    }
}
