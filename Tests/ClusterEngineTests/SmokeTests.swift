import Testing
@testable import ClusterEngine
import ClusterModel

@Test func demoClusterComesUp() {
    let c = DemoCluster.make()
    for p in c.pods.list() { print(p.metadata.namespace, p.metadata.name, p.spec.nodeName, p.status.phase, p.status.podIP, p.status.isReady) }
    for e in c.endpoints.list() { print(e.metadata.namespace, e.metadata.name, e.subsets) }
    for s in c.endpointSlices.list() { print(s.metadata.namespace, s.metadata.name, s.ports, s.endpoints.map { $0.addresses }) }
    for s in c.services.list() { print(s.metadata.namespace, s.metadata.name, s.spec.clusterIP, s.spec.ports) }
    #expect(c.pods.list(namespace: "default").count == 4)
}
