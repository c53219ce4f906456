import Testing
@testable import Kubectl

/// Golden kubectl 1.33 text for the seed's commands and the acceptance scenario.
struct GetTests {
    @Test func acceptanceScenarioOnAnEmptyCluster() {
        let s = session(empty: true, files: ["deploy.yaml": myAppDeploymentYAML, "service.yaml": seedServiceYAML])
        #expect(s.transcript("""
        kubectl apply -f deploy.yaml
        kubectl apply -f service.yaml
        sleep 60s
        kubectl get endpoints my-app
        kubectl get endpointslices
        kubectl get pods -o wide
        """) == """
        deployment.apps/my-app created
        service/my-app created
        Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
        NAME     ENDPOINTS                                         AGE
        my-app   10.244.1.3:8080,10.244.2.2:8080,10.244.3.2:8080   60s
        NAME           ADDRESSTYPE   PORTS   ENDPOINTS                          AGE
        kubernetes     IPv4          6443    172.18.0.2                         11m
        my-app-jstdq   IPv4          8080    10.244.3.2,10.244.1.3,10.244.2.2   60s
        NAME                      READY   STATUS    RESTARTS   AGE   IP           NODE             NOMINATED NODE   READINESS GATES
        my-app-578454fbfc-b57ng   1/1     Running   0          60s   10.244.1.3   svclab-worker    <none>           <none>
        my-app-578454fbfc-blztw   1/1     Running   0          60s   10.244.3.2   svclab-worker3   <none>           <none>
        my-app-578454fbfc-z4nd8   1/1     Running   0          60s   10.244.2.2   svclab-worker2   <none>           <none>

        """)
    }

    @Test func heredocApplyWorksLikeAFile() {
        let s = session(empty: true)
        let out = s.runScript("kubectl apply -f - <<EOF\n\(myAppDeploymentYAML)\nEOF\nkubectl get deploy")
        #expect(out.stdout == """
        deployment.apps/my-app created
        NAME     READY   UP-TO-DATE   AVAILABLE   AGE
        my-app   0/3     3            0           0s

        """)
    }

    @Test func seedCommandsOnTheDemo() {
        let s = session()
        #expect(s.transcript("kubectl get svc my-app\nkubectl get endpoints my-app") == """
        NAME     TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
        my-app   ClusterIP   10.96.0.100   <none>        80/TCP    5m
        Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
        NAME     ENDPOINTS                                         AGE
        my-app   10.244.1.3:8080,10.244.2.3:8080,10.244.3.3:8080   5m

        """)
        #expect(s.transcript("kubectl get pods --show-labels | grep my-app") == """
        my-app-d9dfc86bc-b57ng   1/1     Running   0          5m    app.kubernetes.io/component=api,app.kubernetes.io/name=my-app,pod-template-hash=d9dfc86bc
        my-app-d9dfc86bc-blztw   1/1     Running   0          5m    app.kubernetes.io/component=api,app.kubernetes.io/name=my-app,pod-template-hash=d9dfc86bc
        my-app-d9dfc86bc-z4nd8   1/1     Running   0          5m    app.kubernetes.io/component=api,app.kubernetes.io/name=my-app,pod-template-hash=d9dfc86bc

        """)
    }

    @Test func scalingShowsInEndpoints() {
        let s = session()
        let out = s.transcript("""
        kubectl scale deployment my-app --replicas=5
        kubectl get pods
        sleep 10s
        kubectl get endpoints my-app
        """)
        #expect(out == """
        deployment.apps/my-app scaled
        NAME                     READY   STATUS    RESTARTS   AGE
        my-app-d9dfc86bc-b57ng   1/1     Running   0          5m
        my-app-d9dfc86bc-blztw   1/1     Running   0          5m
        my-app-d9dfc86bc-l4j2w   0/1     Pending   0          0s
        my-app-d9dfc86bc-lbbhk   0/1     Pending   0          0s
        my-app-d9dfc86bc-z4nd8   1/1     Running   0          5m
        my-pod                   1/1     Running   0          5m
        Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
        NAME     ENDPOINTS                                                     AGE
        my-app   10.244.1.3:8080,10.244.2.3:8080,10.244.2.4:8080 + 2 more...   5m10s

        """)
    }

    @Test func systemObjects() {
        let s = session()
        #expect(s.transcript("kubectl get svc -A\nkubectl get nodes\nkubectl get ns") == """
        NAMESPACE     NAME         TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)                  AGE
        cache         redis        ClusterIP   10.108.101.152   <none>        6379/TCP                 5m
        database      postgres     ClusterIP   10.111.180.119   <none>        5432/TCP                 5m
        default       kubernetes   ClusterIP   10.96.0.1        <none>        443/TCP                  15m
        default       my-app       ClusterIP   10.96.0.100      <none>        80/TCP                   5m
        kube-system   kube-dns     ClusterIP   10.96.0.10       <none>        53/UDP,53/TCP,9153/TCP   15m
        NAME                   STATUS   ROLES           AGE   VERSION
        svclab-control-plane   Ready    control-plane   15m   v1.33.1
        svclab-worker          Ready    <none>          15m   v1.33.1
        svclab-worker2         Ready    <none>          15m   v1.33.1
        svclab-worker3         Ready    <none>          15m   v1.33.1
        NAME                 STATUS   AGE
        cache                Active   5m
        database             Active   5m
        default              Active   15m
        kube-node-lease      Active   15m
        kube-public          Active   15m
        kube-system          Active   15m
        local-path-storage   Active   14m

        """)
    }

    @Test func severalTypesArePrefixedAndSeparated() {
        let s = session()
        #expect(s.runScript("kubectl get deploy,rs").stdout == """
        NAME                     READY   UP-TO-DATE   AVAILABLE   AGE
        deployment.apps/my-app   3/3     3            3           5m

        NAME                               DESIRED   CURRENT   READY   AGE
        replicaset.apps/my-app-d9dfc86bc   3         3         3       5m

        """)
        #expect(s.runScript("kubectl get pods -o name -l run=my-pod").stdout == "pod/my-pod\n")
    }

    @Test func errorsAndExitCodes() {
        let s = session()
        func run(_ line: String) -> (String, String, Int32) {
            let o = s.runScript(line)
            return (o.stdout, o.stderr, o.exitCode)
        }
        #expect(run("kubectl get svc nope") == ("", "Error from server (NotFound): services \"nope\" not found\n", 1))
        #expect(run("kubectl get deploy nope") == ("", "Error from server (NotFound): deployments.apps \"nope\" not found\n", 1))
        #expect(run("kubectl get foo") == ("", "error: the server doesn't have a resource type \"foo\"\n", 1))
        #expect(run("kubectl get pods -n nope") == ("", "No resources found in nope namespace.\n", 0))
        #expect(run("kubectl get pods -l app=nope") == ("", "No resources found in default namespace.\n", 0))
        #expect(run("kubectl get svc -l 'a in'").1 == "Error from server (BadRequest): Unable to find \"/v1, Resource=services\" that match label selector \"a in\", field selector \"\": unable to parse requirement: found '' expected: '('\n")
        #expect(run("kubectl get pods --selectr=x") == ("", "error: unknown flag: --selectr\nSee 'kubectl get --help' for usage.\n", 1))
        #expect(run("kubectl scale deployment my-app --replicas=abc").1 == "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n")
        #expect(run("kubectl scale deployment my-app --replicas=-1").1 == "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n")
        #expect(run("kubectl scale deployment nope --replicas=1").1 == "error: no objects passed to scale deployments.apps \"nope\" not found\n")
        #expect(run("kubectl scale deployment my-app --current-replicas=2 --replicas=1").1 == "error: Expected replicas to be 2, was 3\n")
        #expect(run("kubectl get pods my-pod -l a=b").1 == "error: name cannot be provided when a selector is specified\n")
        #expect(run("kubectl gett pods").1 == "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n")
        #expect(run("kubectl get pods | grep nothing-like-this").2 == 1)
        #expect(run("help").0.hasPrefix("svclab's shell: one command per line, on a simulated Kubernetes 1.33 cluster.\n  kubectl COMMAND …"))
        #expect(run("help").0.contains("Not here: ; && || & and redirections"))
        #expect(run("frobnicate").1 == "svclab: frobnicate: command not found (the shell runs kubectl …, sleep DURATION, trace, traffic, why, rules, docker exec NODE …, echo, clear, exit, # comments, and pipes into grep, head, tail, wc, sort; help lists them)\n")
        #expect(run("sleep soon").1 == "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n")
        // After all that, the cluster is untouched.
        #expect(run("kubectl get deploy my-app").0.contains("3/3"))
    }

    @Test func unmodelledCommandsSaySo() {
        let s = session()
        #expect(s.runScript("kubectl get pods -o go-template={{.items}}").stderr == "error: svclab does not model \"-o go-template\" yet (supported: wide, name, yaml, json, jsonpath, custom-columns)\n")
        #expect(s.runScript("kubectl cp my-pod:/etc/hosts hosts").stderr.hasPrefix("error: svclab does not model \"kubectl cp\" yet (supported: "))
    }
}
