import ClusterEngine
import ClusterModel
import Testing
@testable import Kubectl

/// kubectl patch reads an object back from its own JSON: that round trip must be exact, or a
/// harmless patch would change a Deployment's template and start a rollout.
struct PatchTests {
    @Test func everyDemoObjectSurvivesItsOwnJSON() throws {
        let s = Session.demo()
        for p in s.cluster.pods.list(namespace: nil) {
            guard case var .success(back) = Manifest.decodeDocument(Patch.userFields(ObjectEncoder.pod(p)), source: "") else {
                Issue.record("pod \(p.metadata.name) does not decode"); continue
            }
            Defaults.dropEncodedDefaults(&back)
            guard case let .pod(decoded) = back else { Issue.record("not a pod"); continue }
            #expect(decoded.spec == p.spec, "pod \(p.metadata.name)")
            #expect(decoded.metadata.labels == p.metadata.labels)
        }
        for d in s.cluster.deployments.list(namespace: nil) {
            guard case var .success(back) = Manifest.decodeDocument(Patch.userFields(ObjectEncoder.deployment(d)), source: "") else {
                Issue.record("deployment \(d.metadata.name) does not decode"); continue
            }
            Defaults.dropEncodedDefaults(&back)
            guard case let .deployment(decoded) = back else { Issue.record("not a deployment"); continue }
            #expect(decoded.spec == d.spec, "deployment \(d.metadata.name)")
        }
    }

    @Test func emptyPatchesChangeNothing() {
        let s = Session.demo()
        let before = s.cluster.resourceVersion
        let out = s.runScript("""
        kubectl patch deployment my-app -p '{}'
        kubectl patch svc my-app --type=merge -p '{"spec":{}}'
        kubectl patch pod my-pod -p '{"metadata":{"labels":{"run":"my-pod"}}}'
        """)
        #expect(out.stdout == "deployment.apps/my-app patched (no change)\nservice/my-app patched (no change)\npod/my-pod patched (no change)\n")
        #expect(s.cluster.resourceVersion == before)
    }

    @Test func strategicMergeKeepsOtherContainersAndPorts() {
        let target = try! ValueLoader.documents(from: """
        spec: {containers: [{name: a, image: x, ports: [{containerPort: 80}]}, {name: b, image: y}]}
        """)[0]
        let patch = try! ValueLoader.documents(from: """
        spec: {containers: [{name: b, image: z}, {name: c, image: w}]}
        """)[0]
        #expect(Patch.strategic(target, patch).jsonString() == #"{"spec":{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80}]},{"name":"b","image":"z"},{"name":"c","image":"w"}]}}"#)
        #expect(Patch.merge(target, patch).jsonString() == #"{"spec":{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}]}}"#)
        let delete = try! ValueLoader.documents(from: #"{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}"#)[0]
        #expect(Patch.strategic(target, delete).jsonString() == #"{"spec":{"containers":[{"name":"b","image":"y"}]}}"#)
    }

    @Test func jsonPatchOperations() throws {
        let doc = try ValueLoader.documents(from: #"{"a":{"b":[1,2]},"c":"d"}"#)[0]
        let ops = try ValueLoader.documents(from: #"[{"op":"add","path":"/a/b/-","value":3},{"op":"replace","path":"/c","value":"e"},{"op":"move","from":"/c","path":"/f"},{"op":"remove","path":"/a/b/0"}]"#)[0]
        #expect(try Patch.json(doc, ops).jsonString() == #"{"a":{"b":[2,3]},"f":"e"}"#)
        let bad = try ValueLoader.documents(from: #"[{"op":"test","path":"/c","value":"x"}]"#)[0]
        #expect(throws: Patch.Failure(message: "testing value /c failed: test failed")) { try Patch.json(doc, bad) }
    }
}
