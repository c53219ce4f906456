/// DaemonSet (apps/v1): one pod on every node that fits (kube-proxy and kindnet in a kind
/// cluster). The cluster stores it as fields; the template is decoded, defaulted and encoded as
/// a Deployment's is, so `-o yaml` shows what the API server would. Rules from
/// k8s.io/kubernetes pkg/apis/apps (v1.33): defaults.go SetDefaults_DaemonSet, validation.go
/// ValidateDaemonSet, registry/apps/daemonset/strategy.go (generation and templateGeneration),
/// and kubectl's printers.go printDaemonSet for the table.
public enum DaemonSetKind {
    public static let kind = "DaemonSet"
    /// What apps/v1 shows of the internal spec.templateGeneration.
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    public static let description = ResourceDescription(
        kind: kind, group: "apps", plural: "daemonsets", shortNames: ["ds"], categories: ["all"],
        stored: StoredKind(
            decodeFields: { r in
                var spec: [(String, Value)] = []
                if var s = r.object("spec", "DaemonSetSpec") {
                    if let m = s.int("minReadySeconds"), m != 0 { spec.append(("minReadySeconds", .int(Int64(m)))) }
                    spec.append(("revisionHistoryLimit", .int(Int64(s.int("revisionHistoryLimit") ?? 10))))
                    if var sel = s.object("selector", "LabelSelector") {
                        spec.append(("selector", ObjectEncoder.selector(ManifestDecoder.labelSelector(&sel)) ?? .object([])))
                    }
                    var template = PodTemplateSpec()
                    if var t = s.object("template", "PodTemplateSpec") { template = ManifestDecoder.podTemplate(&t) }
                    Defaults.apply(&template.spec)
                    spec.append(("template", ObjectEncoder.template(template)))
                    var type = "RollingUpdate"
                    var maxUnavailable: Value = .int(1), maxSurge: Value = .int(0)
                    if var st = s.object("updateStrategy", "DaemonSetUpdateStrategy") {
                        type = st.string("type") ?? "RollingUpdate"
                        if var ru = st.object("rollingUpdate", "RollingUpdateDaemonSet") {
                            maxUnavailable = ru.intOrString("maxUnavailable")?.value ?? .int(1)
                            maxSurge = ru.intOrString("maxSurge")?.value ?? .int(0)
                            ru.finish()
                        }
                        st.finish()
                    }
                    spec.append(("updateStrategy", type == "RollingUpdate"
                        ? .object([("rollingUpdate", .object([("maxSurge", maxSurge), ("maxUnavailable", maxUnavailable)])), ("type", .string(type))])
                        : .object([("type", .string(type))])))
                    s.finish()
                }
                _ = r.raw("status")
                return .object([("spec", .object(spec)), ("status", emptyStatus)])
            },
            validate: { ds in
                let spec = FieldPath("spec")
                var errs = Validation.selectorAndTemplate(selector: selector(ds), template: template(ds), at: spec,
                                                           emptyMessage: "empty selector is invalid for daemonset")
                let type = ds["spec"]?["updateStrategy"]?["type"]?.stringValue ?? "RollingUpdate"
                if !["RollingUpdate", "OnDelete"].contains(type) {
                    errs.append(.notSupported(spec.child("updateStrategy", "type"), type, ["OnDelete", "RollingUpdate"]))
                }
                return errs
            },
            columns: ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            cells: { ds, age in
                let status = ds["status"]
                func count(_ key: String) -> String { String(status?[key]?.intValue ?? 0) }
                return [ds.metadata.name, count("desiredNumberScheduled"), count("currentNumberScheduled"), count("numberReady"),
                        count("updatedNumberScheduled"), count("numberAvailable"), formatLabels(template(ds).spec.nodeSelector), age]
            },
            wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
            wideCells: { ds in
                let (c, i) = TableConvertor.containersAndImages(template(ds).spec)
                return [c, i, (try? (selector(ds) ?? LabelSelector()).expression().description) ?? "<invalid>"]
            },
            prepareForCreate: { ds in
                // strategy.go PrepareForCreate: status cleared, templateGeneration 1.
                ds.fields = ds.fields.setting("status", emptyStatus)
                ds.metadata.annotations[templateGenerationAnnotation] = "1"
            },
            prepareForUpdate: { ds, old in
                // strategy.go PrepareForUpdate: the status stays; a template change bumps
                // templateGeneration and generation, any other spec change generation.
                ds.fields = ds.fields.setting("status", old["status"] ?? emptyStatus)
                let oldGeneration = Int(old.metadata.annotations[templateGenerationAnnotation] ?? "") ?? 1
                ds.metadata.annotations[templateGenerationAnnotation] = String(oldGeneration)
                if ds["spec"]?["template"] != old["spec"]?["template"] {
                    ds.metadata.annotations[templateGenerationAnnotation] = String(oldGeneration + 1)
                    ds.metadata.generation = old.metadata.generation + 1
                } else if ds["spec"] != old["spec"] {
                    ds.metadata.generation = old.metadata.generation + 1
                }
            }))

    /// The status fields that are not omitempty in apps/v1 (the rest appear once non-zero).
    static let emptyStatus: Value = .object([("currentNumberScheduled", .int(0)), ("desiredNumberScheduled", .int(0)),
                                             ("numberMisscheduled", .int(0)), ("numberReady", .int(0))])

    public static func selector(_ ds: StoredObject) -> LabelSelector? {
        guard let v = ds["spec"]?["selector"] else { return nil }
        return try? ManifestDecoder.decode(v) { ManifestDecoder.labelSelector(&$0) }
    }

    public static func template(_ ds: StoredObject) -> PodTemplateSpec {
        guard let v = ds["spec"]?["template"] else { return PodTemplateSpec() }
        // Stored as the API returns it: the encoder's defaults come off again, so a pod made
        // from it equals one made from the manifest.
        var template = (try? ManifestDecoder.decode(v) { ManifestDecoder.podTemplate(&$0) }) ?? PodTemplateSpec()
        Defaults.dropEncodedDefaults(&template.spec)
        return template
    }

    /// The DaemonSet with another pod template (kubectl set image, rollout restart).
    public static func replacingTemplate(_ ds: StoredObject, _ template: PodTemplateSpec) -> StoredObject {
        var ds = ds
        ds.fields = ds.fields.setting("spec", (ds["spec"] ?? .object([])).setting("template", ObjectEncoder.template(template)))
        return ds
    }

    public static func templateGeneration(_ ds: StoredObject) -> Int {
        Int(ds.metadata.annotations[templateGenerationAnnotation] ?? "") ?? 1
    }

    /// `RollingUpdate` or `OnDelete`.
    public static func updateStrategy(_ ds: StoredObject) -> String {
        ds["spec"]?["updateStrategy"]?["type"]?.stringValue ?? "RollingUpdate"
    }

    public static func maxUnavailable(_ ds: StoredObject) -> IntOrString {
        switch ds["spec"]?["updateStrategy"]?["rollingUpdate"]?["maxUnavailable"] {
        case let .int(i)?: return .int(Int(i))
        case let .string(s)?: return .string(s)
        default: return .int(1)
        }
    }

    /// The status as the controller writes it (apps/v1 field names; zero omitempty fields left out).
    public static func status(desired: Int, current: Int, misscheduled: Int, ready: Int, updated: Int, available: Int, observedGeneration: Int64) -> Value {
        var pairs: [(String, Value)] = [("currentNumberScheduled", .int(Int64(current))), ("desiredNumberScheduled", .int(Int64(desired)))]
        if available > 0 { pairs.append(("numberAvailable", .int(Int64(available)))) }
        pairs.append(("numberMisscheduled", .int(Int64(misscheduled))))
        pairs.append(("numberReady", .int(Int64(ready))))
        if desired - available > 0 { pairs.append(("numberUnavailable", .int(Int64(desired - available)))) }
        pairs.append(("observedGeneration", .int(observedGeneration)))
        if updated > 0 { pairs.append(("updatedNumberScheduled", .int(Int64(updated)))) }
        return .object(pairs)
    }
}
