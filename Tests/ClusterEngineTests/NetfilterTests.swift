import Testing
@testable import ClusterEngine

/// kube-proxy's restore input as iptables 1.8.9 prints it back. Every expected line is one a
/// real node prints (public `iptables-save` dumps of kind and kubeadm clusters: addresses
/// get /32, protocol before the matches, MARK as --set-xmark, the statistic match's stored
/// probability, the recent match's canonical order, nfacct's doubled space).
struct NetfilterTests {
    func save(_ restoreLine: String) -> String { NetfilterRule.parse(restoreLine)!.saveText }

    @Test func restoreInputReadsBackInSaveSpelling() {
        #expect(save("-A KUBE-SERVICES -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y")
                == "-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y")
        #expect(save("-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -p tcp -d 10.96.0.1 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ")
                == "-A KUBE-SVC-NPX46M4PTMTKRN6Y ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-MARK-MASQ")
        #expect(save("-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ")
                == "-A KUBE-SEP-6E7XQMQ4RAYOWTTM -s 10.244.0.3/32 -m comment --comment \"kube-system/kube-dns:dns\" -j KUBE-MARK-MASQ")
        #expect(save("-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53")
                == "-A KUBE-SEP-6E7XQMQ4RAYOWTTM -p udp -m comment --comment \"kube-system/kube-dns:dns\" -m udp -j DNAT --to-destination 10.244.0.3:53")
        #expect(save("-A KUBE-NODEPORTS -m comment --comment default/nginx -m tcp -p tcp -d 127.0.0.0/8 --dport 30606 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-2CMXP7HKUVJN7L6M")
                == "-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment \"default/nginx\" -m tcp --dport 30606 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-2CMXP7HKUVJN7L6M")
        #expect(save("-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000") == "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000")
        #expect(save("-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000") == "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0")
        #expect(save("-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN") == "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN")
        #expect(save("-A KUBE-SVC-X -m comment --comment \"ns/php:http -> 10.0.0.1:80\" -m recent --name KUBE-SEP-L7T7MUF6AEBEWCCN --rcheck --seconds 10800 --reap -j KUBE-SEP-L7T7MUF6AEBEWCCN")
                == "-A KUBE-SVC-X -m comment --comment \"ns/php:http -> 10.0.0.1:80\" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-L7T7MUF6AEBEWCCN --mask 255.255.255.255 --rsource -j KUBE-SEP-L7T7MUF6AEBEWCCN")
        #expect(save("-A KUBE-SEP-X -m comment --comment default/kubernetes:https -m recent --name KUBE-SEP-23Y66C2VAJ3WDEMI --set -m tcp -p tcp -j DNAT --to-destination 172.16.0.11:6443")
                == "-A KUBE-SEP-X -p tcp -m comment --comment \"default/kubernetes:https\" -m recent --set --name KUBE-SEP-23Y66C2VAJ3WDEMI --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 172.16.0.11:6443")
        #expect(save("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")
                == "-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")
        #expect(save("-A KUBE-SERVICES -m comment --comment \"ns/svc has no endpoints\" -m tcp -p tcp -d 10.96.0.7 --dport 80 -j REJECT")
                == "-A KUBE-SERVICES -d 10.96.0.7/32 -p tcp -m comment --comment \"ns/svc has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable")
    }

    /// libxt_statistic stores lround(p × 2³¹); iptables prints that back with 11 decimals.
    @Test func probabilitiesAsTheKernelKeepsThem() {
        #expect(NetfilterRule.probabilityText(1.0 / 3) == "0.33333333349")
        #expect(NetfilterRule.probabilityText(0.5) == "0.50000000000")
        #expect(NetfilterRule.probabilityText(0.2) == "0.20000000019")
        #expect(NetfilterRule.probabilityText(0.25) == "0.25000000000")
    }

    /// `iptables -L -n` lines (xshared.c print_rule_details with each extension's print()).
    @Test func listingAsIptablesLPrintsIt() {
        var t = NetfilterTable(name: "nat", builtins: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"])
        for line in ["-A KUBE-NODEPORTS -m comment --comment hw11/backend-nodeport:http -m tcp -p tcp -d 127.0.0.0/8 --dport 30110 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-7YLIHDKLMNGEWDMX",
                     "-A KUBE-NODEPORTS -m comment --comment hw11/backend-nodeport:http -m tcp -p tcp --dport 30110 -j KUBE-EXT-7YLIHDKLMNGEWDMX",
                     "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"] {
            t.append(NetfilterRule.parse(line)!)
        }
        #expect(t.listText("KUBE-NODEPORTS", numeric: true, verbose: false, lineNumbers: false) == """
            Chain KUBE-NODEPORTS (1 references)
            target     prot opt source               destination         
            KUBE-EXT-7YLIHDKLMNGEWDMX  6    --  0.0.0.0/0            127.0.0.0/8          /* hw11/backend-nodeport:http */ tcp dpt:30110 nfacct-name  localhost_nps_accepted_pkts
            KUBE-EXT-7YLIHDKLMNGEWDMX  6    --  0.0.0.0/0            0.0.0.0/0            /* hw11/backend-nodeport:http */ tcp dpt:30110

            """)
        #expect(t.listText("KUBE-NODEPORTS", numeric: true, verbose: true, lineNumbers: true).split(separator: "\n")[1]
                == "num   pkts bytes target     prot opt in     out     source               destination         ")
    }

    /// The jumps from the built-in chains stack as kube-proxy's EnsureRule(Prepend) leaves them,
    /// above the kubelet's KUBE-FIREWALL jump (as every 1.28+ node shows).
    @Test func builtInChainsCarryTheJumpsInPrependOrder() throws {
        let cluster = makeCluster()
        let t = try #require(cluster.nodeNetfilter(node: "svclab-worker"))
        #expect(t.filter.rules["INPUT"]!.map(\.saveText) == [
            "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL",
            "-A INPUT -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS",
            "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES",
            "-A INPUT -j KUBE-FIREWALL",
        ])
        #expect(t.nat.rules["POSTROUTING"]!.map(\.target) == ["KUBE-POSTROUTING", "DOCKER_POSTROUTING", "KIND-MASQ-AGENT"])
        #expect(t.nat.chainOrder.prefix(7) == ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", "DOCKER_OUTPUT", "DOCKER_POSTROUTING", "KIND-MASQ-AGENT"])
        #expect(t.nat.references("KUBE-SERVICES") == 2)
        #expect(cluster.nodeNetfilter(node: "no-such-node")?.tables.count == nil)
    }
}
