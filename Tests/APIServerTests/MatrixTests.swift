import ClusterEngine
import ClusterModel
import Foundation
import Kubectl
import Testing
@testable import APIServer

/// Every kind the registry serves × every verb it lists × the content types clients send:
/// list (JSON, Table, pages, selectors, resourceVersionMatch), create (and again: 409), get,
/// patch (merge, strategic, JSON patch, unknown type: 415), update, dryRun on every write,
/// delete, deletecollection (or 405), watch from a list's resourceVersion, a too-old watch
/// (410), malformed bodies (400) — with the API server's Status shapes.
struct MatrixTests {
    /// One creatable object per kind (name and label filled in by the test).
    static let samples: [String: String] = [
        "ConfigMap": #""data":{"a":"b"}"#,
        "Endpoints": #""subsets":[{"addresses":[{"ip":"10.1.2.3"}],"ports":[{"port":80}]}]"#,
        "LimitRange": #""spec":{"limits":[{"type":"Container","default":{"cpu":"500m"}}]}"#,
        "Namespace": "",
        "Pod": #""spec":{"containers":[{"name":"c","image":"nginx"}]}"#,
        "ResourceQuota": #""spec":{"hard":{"pods":"10"}}"#,
        "Service": #""spec":{"selector":{"app":"x"},"ports":[{"port":80,"targetPort":8080}]}"#,
        "Deployment": #""spec":{"replicas":1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}"#,
        "ReplicaSet": #""spec":{"replicas":1,"selector":{"matchLabels":{"app":"y"}},"template":{"metadata":{"labels":{"app":"y"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}"#,
        "Lease": #""spec":{"holderIdentity":"matrix"}"#,
    ]

    struct Answer { var status: Int; var value: Value; var body: String }

    func call(_ s: Session, _ method: String, _ path: String, query: [String: String] = [:], accept: String = "application/json",
              contentType: String = "application/json", body: String = "") -> Answer {
        let r = APIHandler.handle(APIRequest(method: method, path: path, query: query, accept: accept, contentType: contentType, body: body),
                                  session: s, serverAddress: "127.0.0.1:6443")
        return Answer(status: r.status, value: (try? ValueLoader.documents(from: r.body).first) ?? .null, body: r.body)
    }

    /// A Status as the API server shapes it: kind, apiVersion, status Failure, reason, code.
    func isStatus(_ a: Answer, _ code: Int, _ reason: String) -> Bool {
        a.status == code && a.value["kind"] == .string("Status") && a.value["apiVersion"] == .string("v1")
            && a.value["status"] == .string("Failure") && a.value["reason"] == .string(reason) && a.value["code"] == .int(Int64(code))
    }

    static var kinds: [String] { ResourceRegistry.all.map(\.kind) }

    @Test(arguments: MatrixTests.kinds)
    func everyVerbOnEveryKind(_ kind: String) throws {
        let s = Session.demo()
        let t = try #require(ResourceRegistry.kind(kind))
        let base = (t.group.isEmpty ? "/api/\(t.version)" : "/apis/\(t.group)/\(t.version)") + (t.namespaced ? "/namespaces/default" : "") + "/\(t.plural)"

        // Lists: JSON, Table, a page, selectors, list options.
        let list = call(s, "GET", base)
        #expect(list.status == 200 && list.value["kind"] == .string(kind + "List") && list.value["metadata"]?["resourceVersion"]?.stringValue?.isEmpty == false, "\(list.body.prefix(300))")
        let table = call(s, "GET", base, accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        #expect(table.value["kind"] == .string("Table") && (table.value["columnDefinitions"]?.arrayValue?.isEmpty == false))
        let count = list.value["items"]?.arrayValue?.count ?? 0
        if count > 1 {
            let page = call(s, "GET", base, query: ["limit": "1"])
            #expect(page.value["items"]?.arrayValue?.count == 1 && page.value["metadata"]?["remainingItemCount"] == .int(Int64(count - 1)))
            let rest = call(s, "GET", base, query: ["limit": "100", "continue": page.value["metadata"]?["continue"]?.stringValue ?? ""])
            #expect(rest.value["items"]?.arrayValue?.count == count - 1)
        }
        let bogus = call(s, "GET", base, query: ["fieldSelector": "bogus.field=x"])
        #expect(isStatus(bogus, 400, "BadRequest") && (bogus.value["message"]?.stringValue?.contains("bogus.field") ?? false), "\(bogus.body)")
        #expect(isStatus(call(s, "GET", base, query: ["resourceVersionMatch": "Exact"]), 422, "Invalid"))
        #expect(isStatus(call(s, "GET", base, query: ["resourceVersionMatch": "Exact", "resourceVersion": "1"]), 410, "Expired"))
        #expect(call(s, "GET", base, query: ["resourceVersionMatch": "NotOlderThan", "resourceVersion": "1"]).status == 200)
        #expect(isStatus(call(s, "GET", base + "/no-such-object"), 404, "NotFound"))

        guard let sample = Self.samples[kind], t.verbs.contains("create") else {
            // Not created by clients here: writes answer as the API server does for them.
            return
        }
        func object(_ name: String) -> String {
            #"{"apiVersion":"\#(t.apiVersion)","kind":"\#(kind)","metadata":{"name":"\#(name)","labels":{"matrix":"yes"}}"# + (sample.isEmpty ? "" : "," + sample) + "}"
        }
        // Watch from the list's resourceVersion: what happens next, in order.
        final class Sent: @unchecked Sendable { var lines: [String] = [] }
        let sent = Sent()
        let rv = call(s, "GET", base).value["metadata"]?["resourceVersion"]?.stringValue ?? "0"
        guard case let .resource(path) = ResourcePath.parse(base) else { Issue.record("path \(base)"); return }
        let history = ChangeHistory(horizon: s.cluster.resourceVersion)
        _ = s.cluster.watch { history.append($0) }
        let watch = WatchStream(request: APIRequest(method: "GET", path: base, query: ["resourceVersion": rv, "labelSelector": "matrix=yes"]), path: path) { sent.lines.append($0) }
        #expect(watch.start(cluster: s.cluster, history: history))

        // Create: dry run stores nothing; then for real; then again (409).
        let dry = call(s, "POST", base, query: ["dryRun": "All"], body: object("matrix-1"))
        #expect(dry.status == 201 && dry.value["metadata"]?["name"] == .string("matrix-1"), "\(dry.body)")
        #expect(call(s, "GET", base + "/matrix-1").status == 404)
        let created = call(s, "POST", base, body: object("matrix-1"))
        #expect(created.status == 201 && created.value["metadata"]?["uid"]?.stringValue?.isEmpty == false, "\(created.body)")
        #expect(isStatus(call(s, "POST", base, body: object("matrix-1")), 409, "AlreadyExists"))
        #expect(isStatus(call(s, "POST", base, query: ["dryRun": "All"], body: object("matrix-1")), 409, "AlreadyExists"))
        #expect(isStatus(call(s, "POST", base, body: "{not json"), 400, "BadRequest"))
        #expect(call(s, "GET", base + "/matrix-1").status == 200)

        // Patches of every type; dry runs change nothing; an unknown type is 415.
        let item = base + "/matrix-1"
        #expect(call(s, "PATCH", item, contentType: "application/merge-patch+json", body: #"{"metadata":{"labels":{"merge":"1"}}}"#).value["metadata"]?["labels"]?["merge"] == .string("1"))
        #expect(call(s, "PATCH", item, contentType: "application/strategic-merge-patch+json", body: #"{"metadata":{"labels":{"smp":"1"}}}"#).value["metadata"]?["labels"]?["smp"] == .string("1"))
        #expect(call(s, "PATCH", item, contentType: "application/json-patch+json", body: #"[{"op":"add","path":"/metadata/labels/jp","value":"1"}]"#).value["metadata"]?["labels"]?["jp"] == .string("1"))
        let dryPatch = call(s, "PATCH", item, query: ["dryRun": "All"], contentType: "application/merge-patch+json", body: #"{"metadata":{"labels":{"dry":"1"}}}"#)
        #expect(dryPatch.status == 200 && dryPatch.value["metadata"]?["labels"]?["dry"] == .string("1"))
        #expect(call(s, "GET", item).value["metadata"]?["labels"]?["dry"] == nil)
        #expect(isStatus(call(s, "PATCH", item, contentType: "text/plain", body: "x"), 415, "UnsupportedMediaType"))
        #expect(isStatus(call(s, "PATCH", item, contentType: "application/merge-patch+json", body: "{oops"), 400, "BadRequest"))
        // Update: the whole object back with one label more.
        var current = call(s, "GET", item).value
        if case var .object(pairs) = current, let i = pairs.firstIndex(where: { $0.0 == "metadata" }), case var .object(meta) = pairs[i].1,
           let j = meta.firstIndex(where: { $0.0 == "labels" }), case var .object(labels) = meta[j].1 {
            labels.append(("put", .string("1"))); meta[j].1 = .object(labels); pairs[i].1 = .object(meta); current = .object(pairs)
        }
        let put = call(s, "PUT", item, body: current.jsonString(sortedKeys: false))
        #expect(put.status == 200 && put.value["metadata"]?["labels"]?["put"] == .string("1"), "\(put.body.prefix(300))")

        // Delete: a dry run keeps it; then gone.
        #expect(call(s, "DELETE", item, query: ["dryRun": "All"]).status == 200)
        #expect(call(s, "GET", item).status == 200)
        #expect(call(s, "DELETE", item, query: ["gracePeriodSeconds": "0"]).status == 200)
        s.cluster.advance(bySeconds: 10)   // namespaces finalize, pods go away
        #expect(isStatus(call(s, "GET", item), 404, "NotFound"))

        // The watch saw it come, change and go.
        let types = sent.lines.compactMap { (try? ValueLoader.documents(from: $0).first)?["type"]?.stringValue }
        #expect(types.first == "ADDED" && types.last == "DELETED" && types.contains("MODIFIED"), "\(types)")
        s.cluster.unwatch(watch.watcherID)

        // deletecollection by label, where the kind allows it (405 where it does not).
        #expect(call(s, "POST", base, body: object("matrix-2")).status == 201)
        #expect(call(s, "POST", base, body: object("matrix-3")).status == 201)
        let collection = call(s, "DELETE", base, query: ["labelSelector": "matrix=yes", "gracePeriodSeconds": "0"])
        if t.verbs.contains("deletecollection") {
            #expect(collection.status == 200)
            s.cluster.advance(bySeconds: 10)
            #expect(call(s, "GET", base, query: ["labelSelector": "matrix=yes"]).value["items"]?.arrayValue?.isEmpty == true)
        } else {
            #expect(isStatus(collection, 405, "MethodNotAllowed"))
        }
    }

    /// resourceVersionMatch and resourceVersion as the API server validates them.
    @Test func listOptions() {
        let s = Session.demo()
        let rv = s.cluster.resourceVersion
        let unsupported = call(s, "GET", "/api/v1/pods", query: ["resourceVersionMatch": "Sometimes", "resourceVersion": "1"])
        #expect(unsupported.value["message"] == .string(#"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Sometimes": supported values: "Exact", "NotOlderThan", """#))
        #expect(call(s, "GET", "/api/v1/pods", query: ["resourceVersionMatch": "Exact", "resourceVersion": "0"]).value["message"]
                == .string(#"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0""#))
        #expect(call(s, "GET", "/api/v1/pods", query: ["resourceVersionMatch": "Exact", "resourceVersion": String(rv)]).status == 200)
        let tooLarge = call(s, "GET", "/api/v1/pods", query: ["resourceVersionMatch": "NotOlderThan", "resourceVersion": String(rv + 100)])
        #expect(isStatus(tooLarge, 504, "Timeout") && tooLarge.value["message"] == .string("Too large resource version: \(rv + 100), current: \(rv)"))
    }

    /// A watch-list (sendInitialEvents): the objects, then a bookmark marking the end of them.
    @Test func watchListEndsItsInitialEventsWithABookmark() {
        let s = Session.demo()
        final class Sent: @unchecked Sendable { var lines: [String] = [] }
        let sent = Sent()
        guard case let .resource(path) = ResourcePath.parse("/api/v1/namespaces/default/services") else { Issue.record("path"); return }
        let w = WatchStream(request: APIRequest(method: "GET", path: "/api/v1/namespaces/default/services",
                                                query: ["sendInitialEvents": "true", "allowWatchBookmarks": "true", "resourceVersionMatch": "NotOlderThan"]), path: path) { sent.lines.append($0) }
        #expect(w.start(cluster: s.cluster, history: nil))
        let events = sent.lines.compactMap { try? ValueLoader.documents(from: $0).first }
        #expect(events.map { $0["type"]?.stringValue ?? "" } == ["ADDED", "ADDED", "BOOKMARK"])
        #expect(events.last?["object"]?["metadata"]?["annotations"]?["k8s.io/initial-events-end"] == .string("true"))
        #expect(events.last?["object"]?["metadata"]?["resourceVersion"] == .string(String(s.cluster.resourceVersion)))
        s.cluster.unwatch(w.watcherID)
    }
}

extension MatrixTests {
    /// managedFields: each client write records its manager and the fields it set; server-side
    /// apply is an "Apply" entry; kubectl's yaml leaves them out unless asked.
    @Test func writesRecordTheirFieldManagers() {
        let s = Session.demo()
        let created = call(s, "POST", "/api/v1/namespaces/default/configmaps", query: ["fieldManager": "kubectl-create"],
                           body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"owned","labels":{"app":"x"}},"data":{"a":"1"}}"#)
        let first = created.value["metadata"]?["managedFields"]?.arrayValue?.first
        #expect(first?["manager"] == .string("kubectl-create") && first?["operation"] == .string("Update") && first?["fieldsType"] == .string("FieldsV1"))
        #expect(first?["fieldsV1"] == .object([("f:data", .object([(".", .object([])), ("f:a", .object([]))])),
                                               ("f:metadata", .object([("f:labels", .object([(".", .object([])), ("f:app", .object([]))]))]))]))
        let applied = call(s, "PATCH", "/api/v1/namespaces/default/configmaps/owned", query: ["fieldManager": "kubectl"],
                           contentType: "application/apply-patch+yaml", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"owned"},"data":{"b":"2"}}"#)
        let entries = applied.value["metadata"]?["managedFields"]?.arrayValue ?? []
        #expect(entries.map { $0["manager"]?.stringValue ?? "" } == ["kubectl-create", "kubectl"] && entries.last?["operation"] == .string("Apply"))
        #expect(s.runScript("kubectl get cm owned -o yaml").stdout.contains("managedFields") == false)
        #expect(s.runScript("kubectl get cm owned -o yaml --show-managed-fields").stdout.contains("manager: kubectl-create"))
    }
}
