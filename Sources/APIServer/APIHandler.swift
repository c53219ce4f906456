import ClusterEngine
import ClusterModel
import Foundation
import Kubectl

/// What the API answers: a status code, a content type and a body.
public struct APIResponse: Error, Sendable {
    public var status: Int
    public var contentType: String
    public var body: String
    /// A `Warning:` header (kubectl prints it as `Warning: …` on stderr).
    public var warning: String?
    static func json(_ v: Value, status: Int = 200) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: v.jsonString(sortedKeys: true))
    }
}

/// One API request, as the HTTP layer hands it over.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var accept: String
    public var contentType: String
    public var body: String
    /// The `Upgrade` header (WebSocket requests for exec and attach).
    public var upgrade: String?
    public init(method: String, path: String, query: [String: String] = [:], accept: String = "application/json", contentType: String = "", body: String = "") {
        self.method = method; self.path = path; self.query = query; self.accept = accept; self.contentType = contentType; self.body = body
    }
}

/// The Kubernetes API over the engine: discovery, and get/list/create/update/patch/delete of
/// every kind in the registry (Tables when the client asks for them, as kubectl get does),
/// with the API server's Status errors. Runs inside `ClusterHost` (one request at a time).
enum APIHandler {
    static let maxBodyBytes = 3 * 1024 * 1024

    static func handle(_ r: APIRequest, session: Session, serverAddress: String) -> APIResponse {
        let cluster = session.cluster
        switch (r.method, r.path) {
        case ("GET", "/version"): return .json(Discovery.serverVersion)
        case ("GET", "/healthz"), ("GET", "/livez"), ("GET", "/readyz"): return APIResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "ok")
        case ("GET", "/api"), ("GET", "/apis"):
            // Aggregated discovery when the client asks for it (kubectl ≥ 1.30), legacy otherwise.
            if r.accept.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") {
                var answer = APIResponse.json(Discovery.aggregated(core: r.path == "/api"))
                answer.contentType = Discovery.aggregatedContentType
                return answer
            }
            return .json(r.path == "/api" ? Discovery.apiVersions(serverAddress: serverAddress) : Discovery.apiGroupList)
        case ("GET", "/openapi/v3"): return .json(Discovery.openAPIRoot)
        case ("GET", _) where r.path.hasPrefix("/openapi/v3/"):
            let key = String(r.path.dropFirst("/openapi/v3/".count))
            let gv = key.hasPrefix("apis/") ? String(key.dropFirst(5)) : key.hasPrefix("api/") ? String(key.dropFirst(4)) : ""
            if let doc = Discovery.openAPIDocument(groupVersion: gv, cluster: cluster) { return .json(doc) }
            return status(404, "NotFound", "the server could not find the requested resource")
        default: break
        }
        let path: ResourcePath
        switch ResourcePath.parse(r.path) {
        case .notFound: return status(404, "NotFound", "the server could not find the requested resource")
        case let .groupVersion(g, v):
            guard r.method == "GET" else { return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource") }
            return .json(Discovery.resourceList(group: g, version: v))
        case let .resource(p): path = p
        }
        var answer = resource(r, path, session: session)
        // The API server's deprecation warning for v1 Endpoints (new in 1.33).
        answer.warning = path.resource.warning
        return answer
    }

    static func resource(_ r: APIRequest, _ path: ResourcePath, session: Session) -> APIResponse {
        let cluster = session.cluster
        let t = path.resource
        let namespace = t.namespaced ? path.namespace : ""
        if let sub = path.subresource {
            return subresource(sub, r, path, session: session)
        }
        switch (r.method, path.name) {
        case ("GET", nil):
            return list(r, t, namespace: namespace, cluster: cluster)
        case ("DELETE", nil):
            // deletecollection: every object the selectors match (client libraries use it;
            // kubectl deletes one by one).
            guard t.verbs.contains("deletecollection") else {
                return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
            }
            let listed = list(APIRequest(method: "GET", path: r.path, query: r.query), t, namespace: namespace, cluster: cluster)
            guard listed.status == 200, let items = (try? ValueLoader.documents(from: listed.body).first)?["items"]?.arrayValue else { return listed }
            if isDryRun(r) { return listed }
            for item in items {
                guard let name = item["metadata"]?["name"]?.stringValue else { continue }
                let ns = item["metadata"]?["namespace"]?.stringValue ?? ""
                try? cluster.delete(kind: t.kind, namespace: ns, name: name, gracePeriodSeconds: r.query["gracePeriodSeconds"].flatMap { Int64($0) })
            }
            return listed
        case let ("GET", name?):
            guard let e = cluster.catalog(t, namespace: namespace ?? "", name: name).first else { return notFound(t, name) }
            if wantsTable(r) { return .json(table(t, [e], cluster: cluster, includeObject: r.query["includeObject"])) }
            return .json(e.value())
        case ("POST", nil):
            return create(r, t, namespace: namespace ?? "default", session: session)
        case let ("PUT", name?):
            return write(r, t, namespace: namespace ?? "", name: name, session: session, patch: nil)
        case let ("PATCH", name?):
            return write(r, t, namespace: namespace ?? "", name: name, session: session, patch: r.contentType)
        case let ("DELETE", name?):
            guard let e = cluster.catalog(t, namespace: namespace ?? "", name: name).first else { return notFound(t, name) }
            let options = deleteOptions(r.body)
            let grace = r.query["gracePeriodSeconds"].flatMap { Int64($0) } ?? options.grace
            if isDryRun(r) || options.dryRun { return .json(e.value()) }
            do { try cluster.delete(kind: t.kind, namespace: namespace ?? "", name: name, gracePeriodSeconds: grace) } catch { return apiError(error, t) }
            // A pod that terminates gracefully is returned as it now is; others as they were
            // (a mirror pod the kubelet wrote again at once is another object: the old one).
            if let now = cluster.catalog(t, namespace: namespace ?? "", name: name).first, now.metadata.uid == e.metadata.uid { return .json(now.value()) }
            return .json(e.value())
        default:
            return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
        }
    }

    // MARK: Reading

    static func wantsTable(_ r: APIRequest) -> Bool { r.accept.contains("as=Table") }

    static func list(_ r: APIRequest, _ t: ResourceDescription, namespace: String?, cluster: Cluster) -> APIResponse {
        if let problem = listOptionsProblem(r, current: cluster.resourceVersion) { return problem }
        var labels: LabelSelectorExpression?
        if let selector = r.query["labelSelector"], !selector.isEmpty {
            do { labels = try LabelSelectorExpression.parse(selector) } catch { return status(400, "BadRequest", error.description) }
        }
        let fields: FieldSelector
        do { fields = try FieldSelector(r.query["fieldSelector"], for: t) } catch { return status(400, "BadRequest", error.message) }
        let filter: ((CatalogEntry) -> Bool)? = labels == nil && fields.isEmpty ? nil : { e in
            (labels?.matches(e.metadata.labels) ?? true) && (fields.isEmpty || fields.matches(e))
        }
        var listMeta: [(String, Value)] = [("resourceVersion", .string(String(cluster.resourceVersion)))]
        let entries: [CatalogEntry]
        let limit = r.query["limit"].flatMap { Int($0) } ?? 0
        if limit > 0 || r.query["continue"] != nil {
            // limit/continue: the token names the last object returned; the next page starts
            // after it (a page costs its own size, as at 150,000 pods it must).
            var after: ObjectKey?
            if let token = r.query["continue"], !token.isEmpty {
                guard let key = ContinueToken.decode(token) else {
                    return status(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
                }
                after = key
            }
            let page = cluster.catalogPage(t, namespace: namespace, after: after, limit: limit > 0 ? limit : Int.max, where: filter)
            entries = page.entries
            if let next = page.next {
                listMeta.append(("continue", .string(ContinueToken.encode(next))))
                if let remaining = page.remaining { listMeta.append(("remainingItemCount", .int(Int64(remaining)))) }
            }
        } else {
            entries = cluster.catalog(t, namespace: namespace).filter { filter?($0) ?? true }
        }
        if wantsTable(r) {
            var table = table(t, entries, cluster: cluster, includeObject: r.query["includeObject"])
            if case var .object(pairs) = table, let i = pairs.firstIndex(where: { $0.0 == "metadata" }) { pairs[i].1 = .object(listMeta); table = .object(pairs) }
            return .json(table)
        }
        let items = entries.map { $0.value() }
        return .json(.object([("apiVersion", .string(t.apiVersion)), ("kind", .string(t.kind + "List")),
                              ("metadata", .object(listMeta)), ("items", .array(items))]))
    }

    /// resourceVersion / resourceVersionMatch as the API server validates them. The store keeps
    /// no old versions: a list is always of now, so `Exact` can only be served at the current
    /// resourceVersion (older ones are gone, as after an etcd compaction).
    static func listOptionsProblem(_ r: APIRequest, current: Int64) -> APIResponse? {
        let rv = r.query["resourceVersion"] ?? "", match = r.query["resourceVersionMatch"] ?? ""
        func invalid(_ cause: String, field: String = "resourceVersionMatch", reason: String = "FieldValueForbidden") -> APIResponse {
            status(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: \(field): \(cause)",
                   details: .object([("group", .string("meta.k8s.io")), ("kind", .string("ListOptions")),
                                     ("causes", .array([.object([("reason", .string(reason)), ("message", .string(cause)), ("field", .string(field))])]))]))
        }
        if !rv.isEmpty, Int64(rv) == nil { return invalid("Invalid value: \(goQuote(rv)): must be a non-negative integer", field: "resourceVersion", reason: "FieldValueInvalid") }
        guard !match.isEmpty else { return nil }
        guard !rv.isEmpty else { return invalid("Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided") }
        let asked = Int64(rv) ?? 0
        switch match {
        case "Exact":
            if asked == 0 { return invalid("Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"") }
            if asked < current { return status(410, "Expired", "The resourceVersion for the provided list is too old.") }
        case "NotOlderThan": break
        default:
            return invalid("Unsupported value: \(goQuote(match)): supported values: \"Exact\", \"NotOlderThan\", \"\"", reason: "FieldValueNotSupported")
        }
        if asked > current {
            return status(504, "Timeout", "Too large resource version: \(asked), current: \(current)",
                          details: .object([("causes", .array([.object([("reason", .string("ResourceVersionTooLarge")), ("message", .string("Too large resource version"))])])),
                                            ("retryAfterSeconds", .int(1))]))
        }
        return nil
    }

    /// metav1.Table: every column (wide ones at priority 1) and each row's object — its
    /// metadata by default, the whole object for `?includeObject=Object` (kubectl asks for it
    /// to `--sort-by` a table: without it every row lacks the field and nothing is printed),
    /// none for `None`.
    static func table(_ t: ResourceDescription, _ entries: [CatalogEntry], cluster: Cluster, includeObject: String? = nil) -> Value {
        let columns = TableConvertor.columns(for: t).map { c -> Value in
            var pairs: [(String, Value)] = [("name", .string(c.name)), ("type", .string(c.type)), ("format", .string(c.format)), ("description", .string(""))]
            pairs.append(("priority", .int(Int64(c.priority))))
            return .object(pairs)
        }
        let rows = entries.map { e -> Value in
            let cells = e.row(true).map { cell -> Value in Int64(cell).map(Value.int) ?? .string(cell) }
            switch includeObject {
            case "Object"?: return .object([("cells", .array(cells)), ("object", e.value())])
            case "None"?: return .object([("cells", .array(cells))])
            default:
                var meta = ObjectEncoder.metadata(e.metadata, namespaced: t.namespaced).objectValue ?? []
                meta.removeAll { $0.0 == "managedFields" }
                return .object([("cells", .array(cells)),
                                ("object", .object([("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")), ("metadata", .object(meta))]))])
            }
        }
        return .object([("kind", .string("Table")), ("apiVersion", .string("meta.k8s.io/v1")),
                        ("metadata", .object([("resourceVersion", .string(String(cluster.resourceVersion)))])),
                        ("columnDefinitions", .array(columns)), ("rows", .array(rows))])
    }

    // MARK: Writing

    static func decodeBody(_ body: String, _ t: ResourceDescription) -> Result<(KubeObject, Value), APIResponse> {
        guard var doc = try? ValueLoader.documents(from: body).first, case var .object(pairs) = doc else {
            return .failure(status(400, "BadRequest", "the object provided is unrecognized (must be of type \(t.kind)): couldn't get version/kind; json parse error"))
        }
        // The server takes the kind and version from the URL when the body leaves them out
        // (client libraries serialize models without them).
        if doc["kind"] == nil { pairs.append(("kind", .string(t.kind))) }
        if doc["apiVersion"] == nil { pairs.append(("apiVersion", .string(t.apiVersion))) }
        doc = .object(pairs)
        switch Manifest.decodeDocument(Patch.userFields(doc), source: "") {
        case let .success(o): return .success((o, doc))
        case let .failure(e): return .failure(status(400, "BadRequest", e.detailText))
        }
    }

    static func create(_ r: APIRequest, _ t: ResourceDescription, namespace: String, session: Session, operation: String = "Update") -> APIResponse {
        var object: KubeObject
        var document: Value
        switch decodeBody(r.body, t) {
        case let .failure(resp): return resp
        case let .success((o, doc)): object = o; document = doc
        }
        guard object.kind == t.kind else {
            return status(400, "BadRequest", "the API version in the data (\(object.resourceDescription.apiVersion)) does not match the expected API version (\(t.apiVersion))")
        }
        if t.namespaced {
            if !object.metadata.namespace.isEmpty && object.metadata.namespace != namespace {
                return status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request")
            }
            var m = object.metadata; m.namespace = namespace; object.metadata = m
        }
        var meta = object.metadata
        meta.managedFields = ManagedFields.record([], manager: ManagedFields.manager(r), operation: operation, apiVersion: t.apiVersion,
                                                  time: session.cluster.now, fields: ManagedFields.fieldSet(document))
        object.metadata = meta
        if isDryRun(r) {
            // Defaults and validation without storing: the object as sent, in its namespace.
            do { _ = try session.cluster.checkedCreateForDryRun(object) } catch { return apiError(error, t) }
            if t.namespaced, case var .object(pairs) = document, let i = pairs.firstIndex(where: { $0.0 == "metadata" }), case var .object(meta) = pairs[i].1 {
                meta.removeAll { $0.0 == "namespace" }
                meta.append(("namespace", .string(namespace)))
                pairs[i].1 = .object(meta)
                document = .object(pairs)
            }
            return .json(document, status: 201)
        }
        do {
            let created = try session.cluster.create(object)
            let value = session.cluster.catalog(t, namespace: created.metadata.namespace, name: created.metadata.name).first?.value() ?? .null
            return .json(value, status: 201)
        } catch {
            return apiError(error, t)
        }
    }

    /// PUT (the body is the whole object) or PATCH (merge, strategic merge, JSON patch).
    static func write(_ r: APIRequest, _ t: ResourceDescription, namespace: String, name: String, session: Session, patch: String?) -> APIResponse {
        let cluster = session.cluster
        guard let current = cluster.catalog(t, namespace: namespace, name: name).first?.value() else {
            // Server-side apply creates what does not exist yet.
            if patch?.contains("apply-patch") == true {
                var created = create(r, t, namespace: namespace.isEmpty ? "default" : namespace, session: session, operation: "Apply")
                if created.status == 201 { created.status = 201 }
                return created
            }
            return notFound(t, name)
        }
        var target: Value
        if let patch {
            guard let patchValue = try? ValueLoader.documents(from: r.body).first else {
                return status(400, "BadRequest", "error decoding patch: invalid JSON")
            }
            switch applyPatch(patchValue, to: current, contentType: patch) {
            case let .success(v): target = v
            case let .failure(response): return response
            }
        } else {
            guard case var .object(pairs)? = try? ValueLoader.documents(from: r.body).first else { return status(400, "BadRequest", "invalid JSON") }
            if !pairs.contains(where: { $0.0 == "kind" }) { pairs.append(("kind", .string(t.kind))) }
            if !pairs.contains(where: { $0.0 == "apiVersion" }) { pairs.append(("apiVersion", .string(t.apiVersion))) }
            target = .object(pairs)
        }
        if target == current { return .json(current) }
        switch Manifest.decodeDocument(Patch.userFields(target), source: "") {
        case let .failure(e): return status(400, "BadRequest", e.detailText)
        case var .success(object):
            Defaults.dropEncodedDefaults(&object)
            var m = object.metadata; m.name = name; m.namespace = namespace
            // This write's field manager, beside the ones recorded before.
            let written = patch.map { _ in (try? ValueLoader.documents(from: r.body).first) ?? .object([]) } ?? target
            let recorded = cluster.catalog(t, namespace: namespace, name: name).first?.metadata.managedFields ?? []
            m.managedFields = ManagedFields.record(recorded, manager: ManagedFields.manager(r), operation: patch?.contains("apply-patch") == true ? "Apply" : "Update",
                                                   apiVersion: t.apiVersion, time: cluster.now,
                                                   fields: patch?.contains("json-patch") == true ? ManagedFields.fieldSet(target) : ManagedFields.fieldSet(written))
            object.metadata = m
            if isDryRun(r) {
                do { _ = try cluster.checkedForDryRun(object) } catch { return apiError(error, t) }
                return .json(target)
            }
            do {
                try cluster.update(object)
                return .json(cluster.catalog(t, namespace: namespace, name: name).first?.value() ?? .null)
            } catch {
                return apiError(error, t)
            }
        }
    }

    /// `scale` (autoscaling/v1 Scale) and `status` (read-only here).
    static func subresource(_ sub: String, _ r: APIRequest, _ path: ResourcePath, session: Session) -> APIResponse {
        let cluster = session.cluster, t = path.resource
        let namespace = path.namespace ?? "", name = path.name ?? ""
        guard let e = cluster.catalog(t, namespace: namespace, name: name).first else { return notFound(t, name) }
        switch sub {
        case "status" where r.method == "GET":
            return .json(e.value())
        case "status" where t.kind == Pod.kind && (r.method == "PATCH" || r.method == "PUT"):
            // A pod's status write: the conditions a readiness gate's controller sets.
            guard let body = try? ValueLoader.documents(from: r.body).first else {
                return status(400, "BadRequest", "error decoding patch: invalid JSON")
            }
            let current = e.value()
            var patched = body
            if r.method == "PATCH" {
                switch applyPatch(body, to: current, contentType: r.contentType) {
                case let .success(v): patched = v
                case let .failure(response): return response
                }
            }
            if isDryRun(r) { return .json(patched) }
            do {
                try cluster.setPodGateConditions(namespace: namespace, name: name, conditions: ManifestDecoder.podConditions(patched["status"]?["conditions"]))
            } catch { return apiError(error, t) }
            return .json(cluster.catalog(t, namespace: namespace, name: name).first?.value() ?? current)
        case "log" where t.kind == Pod.kind && r.method == "GET":
            return PodLogs.response(r, namespace: namespace, name: name, cluster: cluster)
        case "exec", "attach" where t.kind == Pod.kind:
            // Reached only when the WebSocket upgrade was declined: no upgrade asked for, or
            // (attach) the container is not running, as the kubelet refuses it.
            guard ExecStream.asksForUpgrade(r) else { return status(400, "BadRequest", "Upgrade request required") }
            let container = r.query["container"] ?? cluster.pods.get(namespace, name)?.spec.containers.first?.name ?? ""
            return status(500, "InternalError", "Internal error occurred: unable to upgrade connection: container \(container) not found in pod \(name)_\(namespace)",
                          details: .object([("causes", .array([.object([("message", .string("unable to upgrade connection: container \(container) not found in pod \(name)_\(namespace)"))])]))]))
        case "scale" where t.kind == Deployment.kind || t.kind == ReplicaSet.kind:
            func scaleValue() -> Value {
                let v = cluster.catalog(t, namespace: namespace, name: name).first!.value()
                var meta = v["metadata"]?.objectValue ?? []
                meta.removeAll { !["name", "namespace", "uid", "resourceVersion", "creationTimestamp"].contains($0.0) }
                let typedSelector = t.kind == Deployment.kind ? cluster.deployments.get(namespace, name)?.spec.selector : cluster.replicaSets.get(namespace, name)?.spec.selector
                let selector = (try? (typedSelector ?? LabelSelector()).expression().description) ?? ""
                return .object([("kind", .string("Scale")), ("apiVersion", .string("autoscaling/v1")), ("metadata", .object(meta)),
                                ("spec", .object([("replicas", v["spec"]?["replicas"] ?? .int(1))])),
                                ("status", .object([("replicas", v["status"]?["replicas"] ?? .int(0)), ("selector", .string(selector))]))])
            }
            if r.method == "GET" { return .json(scaleValue()) }
            guard r.method == "PATCH" || r.method == "PUT", let body = try? ValueLoader.documents(from: r.body).first else {
                return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
            }
            let patched = r.method == "PUT" ? body : (r.contentType.contains("json-patch") ? ((try? Patch.json(scaleValue(), body)) ?? scaleValue()) : Patch.merge(scaleValue(), body))
            guard let replicas = patched["spec"]?["replicas"]?.number.map(Int.init) else {
                return status(422, "Invalid", "Scale.autoscaling \(goQuote(name)) is invalid: spec.replicas: Invalid value: must be a whole number")
            }
            guard replicas >= 0 else {
                return apiError(.invalid(InvalidObjectError(kind: "Scale", name: name, causes: [.invalid(FieldPath("spec.replicas"), replicas, "must be greater than or equal to 0")])), t)
            }
            if isDryRun(r) { return .json(patched) }
            do { try cluster.scale(kind: t.kind, namespace: namespace, name: name, replicas: replicas) } catch { return apiError(error, t) }
            return .json(scaleValue())
        default:
            return status(404, "NotFound", "the server could not find the requested resource")
        }
    }

    /// A PATCH body applied by its content type (json, strategic merge, merge, apply), or the
    /// server's 415/422 — for objects and for a pod's status alike.
    static func applyPatch(_ patch: Value, to current: Value, contentType: String) -> Result<Value, APIResponse> {
        if contentType.contains("json-patch") {
            do { return .success(try Patch.json(current, patch)) } catch { return .failure(status(422, "Invalid", error.message)) }
        } else if contentType.contains("strategic-merge-patch") {
            return .success(Patch.strategic(current, patch))
        } else if contentType.contains("merge-patch") {
            return .success(Patch.merge(current, patch))
        } else if contentType.contains("apply-patch") {
            // Server-side apply with one field manager: the fields the manifest names take
            // its values, lists whole (managedFields are not tracked yet).
            return .success(Patch.merge(current, patch))
        }
        return .failure(status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"))
    }

    /// DeleteOptions in a DELETE's body: the grace period, and a dry run (kubectl delete
    /// --dry-run=server sends `dryRun: [All]` there, not in the query).
    static func deleteOptions(_ body: String) -> (grace: Int64?, dryRun: Bool) {
        guard !body.isEmpty, let v = try? ValueLoader.documents(from: body).first else { return (nil, false) }
        return (v["gracePeriodSeconds"]?.number.map(Int64.init), v["dryRun"]?.arrayValue?.contains(.string("All")) == true)
    }

    /// `?dryRun=All`: everything but the write.
    static func isDryRun(_ r: APIRequest) -> Bool { r.query["dryRun"] == "All" }

    // MARK: Status

    static func status(_ code: Int, _ reason: String, _ message: String, details: Value? = nil) -> APIResponse {
        var pairs: [(String, Value)] = [("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])),
                                        ("status", .string("Failure")), ("message", .string(message)), ("reason", .string(reason))]
        if let details { pairs.append(("details", details)) }
        pairs.append(("code", .int(Int64(code))))
        return .json(.object(pairs), status: code)
    }

    static func notFound(_ t: ResourceDescription, _ name: String) -> APIResponse {
        apiError(.notFound(resource: t.qualifiedResource, name: name), t)
    }

    /// The engine's error as the API server's Status (kubectl prints it as it would a real one).
    static func apiError(_ e: APIError, _ t: ResourceDescription) -> APIResponse {
        func details(_ name: String, _ extra: [(String, Value)] = []) -> Value {
            var pairs: [(String, Value)] = [("name", .string(name))]
            if !t.group.isEmpty { pairs.append(("group", .string(t.group))) }
            pairs.append(("kind", .string(t.plural)))
            return .object(pairs + extra)
        }
        switch e {
        case let .notFound(_, name): return status(404, e.reason, e.message, details: details(name))
        case let .alreadyExists(_, name): return status(409, e.reason, e.message, details: details(name))
        case let .invalid(inv):
            let causes: [Value] = inv.causes.map { c in
                let reason = ["Invalid value": "FieldValueInvalid", "Required value": "FieldValueRequired", "Duplicate value": "FieldValueDuplicate",
                              "Unsupported value": "FieldValueNotSupported", "Forbidden": "FieldValueForbidden", "Too long": "FieldValueTooLong",
                              "Too many": "FieldValueTooMany", "Internal error": "InternalError"][c.kind.rawValue] ?? "FieldValueInvalid"
                return .object([("reason", .string(reason)), ("message", .string(c.body)), ("field", .string(c.path.rendered))])
            }
            var d: [(String, Value)] = [("name", .string(inv.name))]
            if !t.group.isEmpty { d.append(("group", .string(t.group))) }
            d += [("kind", .string(inv.kind)), ("causes", .array(causes))]
            return status(422, e.reason, e.message, details: .object(d))
        case .badRequest: return status(400, e.reason, e.message)
        case .forbidden: return status(403, e.reason, e.message)
        case .internalError: return status(500, e.reason, e.message)
        }
    }
}

/// A list's `continue` token: the last object returned (namespace and name), opaque to clients.
enum ContinueToken {
    static func encode(_ key: ObjectKey) -> String { Data("svclab/v1:\(key.namespace)/\(key.name)".utf8).base64EncodedString() }
    static func decode(_ token: String) -> ObjectKey? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("svclab/v1:") else { return nil }
        let parts = text.dropFirst("svclab/v1:".count).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return ObjectKey(String(parts[0]), String(parts[1]))
    }
}
