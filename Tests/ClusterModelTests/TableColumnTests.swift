import Testing
@testable import ClusterModel

/// Columns whose rules are easy to get subtly wrong, each against upstream's printers.go.
@Suite struct TableColumnTests {
    func loadBalancer(ingress: [LoadBalancerIngress], externalIPs: [String] = []) -> Service {
        var svc = Service()
        svc.metadata.name = "lb"
        svc.spec.type = .loadBalancer
        svc.spec.externalIPs = externalIPs
        svc.loadBalancerIngress = ingress
        return svc
    }

    /// loadBalancerStatusStringer: the ingress part alone is cut to 16 characters (13 + "...")
    /// unless wide; externalIPs are appended after it, whole (getServiceExternalIP, v1.33).
    @Test func externalIPShortensTheIngressPartOnly() {
        let two = [LoadBalancerIngress(ip: "172.18.255.201"), LoadBalancerIngress(ip: "172.18.255.200")]
        #expect(TableConvertor.externalIP(loadBalancer(ingress: two), wide: false) == "172.18.255.20...")
        #expect(TableConvertor.externalIP(loadBalancer(ingress: two), wide: true) == "172.18.255.200,172.18.255.201")
        #expect(TableConvertor.externalIP(loadBalancer(ingress: two, externalIPs: ["192.0.2.1"]), wide: false) == "172.18.255.20...,192.0.2.1")
        #expect(TableConvertor.externalIP(loadBalancer(ingress: [LoadBalancerIngress(ip: "172.18.255.200")], externalIPs: ["192.0.2.1"]), wide: false) == "172.18.255.200,192.0.2.1")
        #expect(TableConvertor.externalIP(loadBalancer(ingress: [], externalIPs: ["192.0.2.1"]), wide: false) == "192.0.2.1")
        #expect(TableConvertor.externalIP(loadBalancer(ingress: []), wide: false) == "<pending>")
        // A hostname stands in for an ingress without an IP; duplicates count once (a set).
        #expect(TableConvertor.externalIP(loadBalancer(ingress: [LoadBalancerIngress(hostname: "a.example"), LoadBalancerIngress(hostname: "a.example")]), wide: false) == "a.example")
    }
}
