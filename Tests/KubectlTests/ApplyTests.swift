import Testing
@testable import Kubectl

struct ApplyTests {
    @Test func createdUnchangedConfigured() {
        let s = session(empty: true, files: ["d.yaml": myAppDeploymentYAML, "svc.yaml": seedServiceYAML])
        #expect(s.runScript("kubectl apply -f d.yaml -f svc.yaml").stdout == "deployment.apps/my-app created\nservice/my-app created\n")
        #expect(s.runScript("kubectl apply -f d.yaml -f svc.yaml").stdout == "deployment.apps/my-app unchanged\nservice/my-app unchanged\n")
        // The manifest sets replicas: re-applying after a scale puts it back.
        _ = s.runScript("kubectl scale deployment my-app --replicas=5")
        #expect(s.runScript("kubectl apply -f d.yaml").stdout == "deployment.apps/my-app configured\n")
        #expect(s.cluster.deployments.get("default", "my-app")?.spec.replicas == 3)
    }

    @Test func replicasLeftOutSurviveAScale() {
        let noReplicas = myAppDeploymentYAML.replacingOccurrences(of: "  replicas: 3\n", with: "")
        let s = session(empty: true, files: ["d.yaml": noReplicas])
        _ = s.runScript("kubectl apply -f d.yaml\nkubectl scale deploy/my-app --replicas=4")
        #expect(s.runScript("kubectl apply -f d.yaml").stdout == "deployment.apps/my-app unchanged\n")
        #expect(s.cluster.deployments.get("default", "my-app")?.spec.replicas == 4)
    }

    @Test func changedSpecIsConfiguredAndKeepsTheClusterIP() {
        let s = session(empty: true, files: ["svc.yaml": seedServiceYAML, "svc2.yaml": seedServiceYAML.replacingOccurrences(of: "targetPort: 8080", with: "targetPort: 9090")])
        _ = s.runScript("kubectl apply -f svc.yaml")
        let ip = s.cluster.services.get("default", "my-app")!.spec.clusterIP
        #expect(s.runScript("kubectl apply -f svc2.yaml").stdout == "service/my-app configured\n")
        #expect(s.cluster.services.get("default", "my-app")!.spec.clusterIP == ip)
        #expect(s.cluster.services.get("default", "my-app")!.spec.ports[0].targetPort == .int(9090))
        let annotation = s.cluster.services.get("default", "my-app")!.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]!
        #expect(annotation == "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{},\"labels\":{\"app.kubernetes.io/name\":\"my-app\"},\"name\":\"my-app\",\"namespace\":\"default\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":9090}],\"selector\":{\"app.kubernetes.io/name\":\"my-app\"},\"type\":\"ClusterIP\"}}\n"
                || annotation.contains("\"targetPort\":9090"))
    }

    @Test func invalidObjectsChangeNothing() {
        let bad = seedServiceYAML.replacingOccurrences(of: "port: 80", with: "port: 0")
        let s = session(empty: true, files: ["bad.yaml": bad])
        let before = s.cluster.resourceVersion
        let out = s.runScript("kubectl apply -f bad.yaml")
        #expect(out.stdout == "")
        #expect(out.stderr == "The Service \"my-app\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n")
        #expect(out.exitCode == 1)
        #expect(s.cluster.resourceVersion == before)
    }

    @Test func oneBadDocumentDoesNotStopTheOthers() {
        let multi = myAppDeploymentYAML + "\n---\n" + seedServiceYAML.replacingOccurrences(of: "selector:", with: "selectr:")
            + "\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n"
        let s = session(empty: true, files: ["all.yaml": multi])
        let out = s.runScript("kubectl apply -f all.yaml")
        #expect(out.stdout == "deployment.apps/my-app created\nnamespace/team-a created\n")
        #expect(out.stderr == "Error from server (BadRequest): error when creating \"all.yaml\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.selectr\"\n")
        #expect(out.exitCode == 1)
    }

    @Test func severalInvalidObjectsUseTheAggregateForm() {
        let bad = seedServiceYAML.replacingOccurrences(of: "port: 80", with: "port: 0")
        let s = session(empty: true, files: ["a.yaml": bad, "b.yaml": bad.replacingOccurrences(of: "name: my-app\n  labels", with: "name: other\n  labels")])
        #expect(s.runScript("kubectl apply -f a.yaml -f b.yaml").stderr == """
        Error from server (Invalid): error when creating "a.yaml": Service "my-app" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
        Error from server (Invalid): error when creating "b.yaml": Service "other" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive

        """)
    }

    @Test func namespacesAndFileErrors() {
        let inCache = seedServiceYAML.replacingOccurrences(of: "  name: my-app\n  labels", with: "  name: my-app\n  namespace: nope\n  labels")
        let s = session(empty: true, files: ["svc.yaml": inCache])
        #expect(s.runScript("kubectl apply -f svc.yaml").stderr == "Error from server (NotFound): error when creating \"svc.yaml\": namespaces \"nope\" not found\n")
        #expect(s.runScript("kubectl apply -f svc.yaml -n default").stderr == "error: the namespace from the provided object \"nope\" does not match the namespace \"default\". You must pass '--namespace=nope' to perform this operation.\n")
        #expect(s.runScript("kubectl apply -f missing.yaml").stderr == "error: the path \"missing.yaml\" does not exist\n")
        #expect(s.runScript("kubectl apply").stderr == "error: must specify one of -f and -k\n")
    }

    @Test func labelsAddedByOthersSurviveApply() {
        let s = session(empty: true, files: ["svc.yaml": seedServiceYAML])
        _ = s.runScript("kubectl apply -f svc.yaml")
        var labels = s.cluster.services.get("default", "my-app")!.metadata.labels
        labels["team"] = "blue"
        try? s.cluster.setLabels(kind: "Service", namespace: "default", name: "my-app", labels: labels)
        #expect(s.runScript("kubectl apply -f svc.yaml").stdout == "service/my-app unchanged\n")
        #expect(s.cluster.services.get("default", "my-app")!.metadata.labels["team"] == "blue")
    }
}
