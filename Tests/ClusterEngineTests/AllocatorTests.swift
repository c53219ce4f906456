import PropertyBased
import Testing
import ClusterModel
@testable import ClusterEngine
import Kubectl

struct AllocatorTests {
    @Test func wellKnownServiceIPs() {
        let c = makeCluster()
        #expect(c.services.get("default", "kubernetes")?.spec.clusterIP == "10.96.0.1")
        #expect(c.services.get("kube-system", "kube-dns")?.spec.clusterIP == "10.96.0.10")
        #expect(c.services.get("kube-system", "kube-dns")?.spec.ipFamilies == ["IPv4"])
        #expect(c.services.get("kube-system", "kube-dns")?.spec.ipFamilyPolicy == "SingleStack")
    }

    @Test func dynamicIPsComeFromTheUpperBand() throws {
        let c = makeCluster()
        for i in 0..<50 { try create(c, service("s\(i)", selector: "{app: x}")) }
        let upperStart = IPv4.parse("10.96.1.1")!, end = IPv4.parse("10.111.255.254")!
        let ips = (0..<50).map { IPv4.parse(c.services.get("default", "s\($0)")!.spec.clusterIP)! }
        #expect(Set(ips).count == 50)
        #expect(ips.allSatisfy { $0 >= upperStart && $0 <= end })
    }

    @Test func explicitClusterIPAndConflicts() throws {
        let c = makeCluster()
        let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}"
        try create(c, yaml)
        #expect(c.services.get("default", "a")?.spec.clusterIPs == ["10.96.0.50"])
        let taken = try Manifest.load(yaml.replacingOccurrences(of: "name: a", with: "name: b"), source: "x")[0].get()
        #expect(throws: APIError.invalid(InvalidObjectError(kind: "Service", name: "b", causes: [
            .invalid(FieldPath("spec.clusterIPs"), .goSyntax("[]string{\"10.96.0.50\"}"), "failed to allocate IP 10.96.0.50: provided IP is already allocated"),
        ]))) { try c.create(taken) }
        let outside = try Manifest.load(yaml.replacingOccurrences(of: "10.96.0.50", with: "1.1.1.1").replacingOccurrences(of: "name: a", with: "name: c"), source: "x")[0].get()
        do { try c.create(outside); Issue.record("accepted an IP outside the range") } catch {
            #expect(error.kubectlMessage() == "The Service \"c\" is invalid: spec.clusterIPs: Invalid value: []string{\"1.1.1.1\"}: failed to allocate IP 1.1.1.1: the provided network does not match the current range")
        }
        // Deleting frees the address.
        try c.delete(kind: "Service", namespace: "default", name: "a")
        try c.create(taken)
        #expect(c.services.get("default", "b")?.spec.clusterIP == "10.96.0.50")
    }

    @Test func nodePorts() throws {
        let c = makeCluster()
        let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}"
        try create(c, yaml)
        let second = try Manifest.load(yaml.replacingOccurrences(of: "name: a", with: "name: b"), source: "x")[0].get()
        do { try c.create(second); Issue.record("duplicate nodePort accepted") } catch {
            #expect(error.kubectlMessage() == "The Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated")
        }
        let low = try Manifest.load(yaml.replacingOccurrences(of: "30080", with: "29999").replacingOccurrences(of: "name: a", with: "name: d"), source: "x")[0].get()
        do { try c.create(low); Issue.record("nodePort out of range accepted") } catch {
            #expect(error.kubectlMessage() == "The Service \"d\" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767")
        }
        // A failed create allocates nothing: the ClusterIP of `b` was rolled back.
        #expect(c.services.get("default", "b") == nil)
        try create(c, "apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, ports: [{port: 80}, {name: b, port: 443}]}".replacingOccurrences(of: "{port: 80}", with: "{name: a, port: 80}"))
        let lb = c.services.get("default", "lb")!
        #expect(lb.spec.ports.allSatisfy { (30086...32767).contains($0.nodePort) })
        #expect(lb.spec.externalTrafficPolicy == "Cluster")
    }

    /// However many Services come and go, ClusterIPs and NodePorts stay unique and in range.
    @Test func allocationsStayUnique() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0...2).array(of: 5...40)) { ops in
            let c = makeCluster(workers: 1)
            var live: [String] = []
            for (i, op) in ops.enumerated() {
                if op == 0, let victim = live.first {
                    try? c.delete(kind: "Service", namespace: "default", name: victim)
                    live.removeFirst()
                } else {
                    let type = op == 1 ? "NodePort" : "ClusterIP"
                    let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: s\(i)}\nspec: {type: \(type), ports: [{port: 80}]}"
                    if (try? create(c, yaml)) != nil { live.append("s\(i)") }
                }
            }
            let services = c.services.list()
            let ips = services.map(\.spec.clusterIP)
            #expect(Set(ips).count == ips.count)
            let nodePorts = services.flatMap(\.spec.ports).map(\.nodePort).filter { $0 != 0 }
            #expect(Set(nodePorts).count == nodePorts.count)
            #expect(nodePorts.allSatisfy { (30000...32767).contains($0) })
            #expect(c.clusterIPAllocator.allocated.count == services.count)
        }
    }

    @Test func podIPsPerNodeCIDR() throws {
        let c = makeCluster(workers: 2)
        try create(c, deployment("web", replicas: 6))
        c.advance(bySeconds: 10)
        for pod in c.pods.list(namespace: "default") {
            let node = c.nodes.get("", pod.spec.nodeName)!
            #expect(pod.status.podIP.hasPrefix(String(node.podCIDR.dropLast(4))), "\(pod.status.podIP) in \(node.podCIDR)")
        }
        #expect(c.nodes.get("", "svclab-worker")?.podCIDR == "10.244.1.0/24")
        #expect(c.nodes.get("", "svclab-worker2")?.podCIDR == "10.244.2.0/24")
        // Pod-network IPs are unique; host-network pods (kube-proxy, kindnet, the static
        // control-plane pods) share their node's.
        let ips = c.pods.list().filter { !$0.spec.hostNetwork }.map(\.status.podIP)
        #expect(Set(ips).count == ips.count)
        for pod in c.pods.list() where pod.spec.hostNetwork && !pod.status.podIP.isEmpty {
            #expect(pod.status.podIP == c.nodes.get("", pod.spec.nodeName)?.internalIP, "\(pod.metadata.name)")
        }
    }
}
