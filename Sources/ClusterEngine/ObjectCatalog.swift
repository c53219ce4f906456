import ClusterModel

/// One object as every reader needs it: its metadata, the JSON the API returns for it, and its
/// table row. `kubectl get`, `-o yaml`, `wait`, `patch` and the HTTP API list through here, so
/// a kind is read the same way everywhere (the ClusterView the real-cluster issue builds on).
public struct CatalogEntry {
    public let metadata: ObjectMeta
    /// The object as the API server returns it.
    public let value: () -> Value
    /// Its table cells: every column with `wide` (what the HTTP API's Table carries), the
    /// priority-0 columns without.
    public let row: (_ wide: Bool) -> [String]
}

/// A reader of one kind's store, handed the store with that kind's row and JSON encoders
/// (Swift closures cannot be generic, so reads that differ are visitors of the one table in
/// `visitStore`).
protocol StoreVisitor {
    /// A kind's table cells for one object, written into a table (`wide`: every column).
    typealias Cells<T> = (T, _ wide: Bool, inout CellTable) -> Void
    associatedtype Result
    func visit<T: KubeResource>(_ store: TypedStore<T>, cells: @escaping Cells<T>, encode: @escaping (T) -> Value) -> Result
}

extension StoreVisitor {
    /// One object's cells as Strings (a CatalogEntry's row: the HTTP API's Table, `get NAME`).
    static func row<T>(of object: T, _ t: ResourceDescription, _ cells: Cells<T>, wide: Bool) -> [String] {
        var table = CellTable(columns: TableConvertor.header(for: t, wide: wide).count, reservingRows: 1)
        cells(object, wide, &table)
        return table.row(0)
    }
}

extension Cluster {
    /// The one table from a kind to its store, its table row and its JSON.
    func visitStore<V: StoreVisitor>(_ t: ResourceDescription, _ v: V) -> V.Result? {
        let tables = TableConvertor(now: now)
        switch t.kind {
        case Pod.kind: return v.visit(pods, cells: { tables.podCells($0, wide: $1, into: &$2) }, encode: ObjectEncoder.pod)
        case Service.kind: return v.visit(services, cells: { $2.append(row: tables.serviceRow($0, wide: $1)) }, encode: ObjectEncoder.service)
        case Endpoints.kind: return v.visit(endpoints, cells: { o, _, t in t.append(row: tables.endpointsRow(o)) }, encode: ObjectEncoder.endpoints)
        case EndpointSlice.kind: return v.visit(endpointSlices, cells: { o, _, t in t.append(row: tables.sliceRow(o)) }, encode: ObjectEncoder.endpointSlice)
        case Deployment.kind: return v.visit(deployments, cells: { $2.append(row: tables.deploymentRow($0, wide: $1)) }, encode: ObjectEncoder.deployment)
        case ReplicaSet.kind: return v.visit(replicaSets, cells: { $2.append(row: tables.replicaSetRow($0, wide: $1)) }, encode: ObjectEncoder.replicaSet)
        case Node.kind: let now = self.now; return v.visit(nodes, cells: { $2.append(row: tables.nodeRow($0, wide: $1)) }, encode: { ObjectEncoder.node($0, now: now) })
        case Namespace.kind: return v.visit(namespaces, cells: { o, _, t in t.append(row: tables.namespaceRow(o)) }, encode: ObjectEncoder.namespace)
        case Event.kind: return v.visit(events, cells: { tables.eventCells($0, wide: $1, into: &$2) }, encode: ObjectEncoder.event)
        default:
            // A kind the cluster only stores: its table comes from the registry.
            guard let stored = t.stored, let store = self.stored[t.kind] else { return nil }
            let now = self.now
            return v.visit(store, cells: { o, wide, table in
                let o = stored.project?(o, now) ?? o
                table.append(row: stored.cells(o, tables.age(o.metadata.creationTimestamp)) + (wide ? stored.wideCells(o) : []))
            },
                           encode: { o in ObjectEncoder.stored(stored.project?(o, now) ?? o) })
        }
    }

    /// The objects of a kind in a namespace (nil: all namespaces; "" for cluster-scoped kinds),
    /// in namespace/name order — or the one named.
    public func catalog(_ t: ResourceDescription, namespace: String?, name: String? = nil) -> [CatalogEntry] {
        struct All: StoreVisitor {
            let t: ResourceDescription, namespace: String?, name: String?
            func visit<T: KubeResource>(_ store: TypedStore<T>, cells: @escaping Cells<T>, encode: @escaping (T) -> Value) -> [CatalogEntry] {
                let objects: [T]
                if let name { objects = store.get(t.namespaced ? (namespace ?? "") : "", name).map { [$0] } ?? [] }
                else { objects = store.list(namespace: t.namespaced ? namespace : nil) }
                return objects.map { o in CatalogEntry(metadata: o.metadata, value: { encode(o) }, row: { Self.row(of: o, t, cells, wide: $0) }) }
            }
        }
        return visitStore(t, All(t: t, namespace: namespace, name: name)) ?? []
    }

    /// A kind's table as `kubectl get` prints it, in one pass over the store and into one
    /// buffer: the header (when given), then for each object `selector` matches, its namespace
    /// (with `namespaceColumn`), its cells (the name after `namePrefix`, as `get svc,ep` prints
    /// `service/NAME`), the values of `labelColumns` (`-L`) and its labels (`--show-labels`).
    /// No closure, copy or array per object (what `kubectl get pods -A` at 150,000 pods spent
    /// its time on); pods a selector narrows through the label index are the only ones visited.
    public func catalogTable(_ t: ResourceDescription, namespace: String?, wide: Bool, header: [String]?,
                             namespaceColumn: Bool, selector: LabelSelectorExpression = .everything,
                             namePrefix: String? = nil, labelColumns: [String] = [], showLabels: Bool = false) -> CellTable {
        struct Table: StoreVisitor {
            let t: ResourceDescription, namespace: String?, wide: Bool, header: [String]?, namespaceColumn: Bool
            let selector: LabelSelectorExpression, candidates: [ObjectKey]?
            let namePrefix: String?, labelColumns: [String], showLabels: Bool
            func visit<T: KubeResource>(_ store: TypedStore<T>, cells: @escaping Cells<T>, encode: @escaping (T) -> Value) -> CellTable {
                let columns = TableConvertor.header(for: t, wide: wide).count + (namespaceColumn ? 1 : 0) + labelColumns.count + (showLabels ? 1 : 0)
                let rows = candidates?.count ?? store.count(namespace: namespace, after: ObjectKey("", ""))
                var table = CellTable(columns: columns, reservingRows: rows + 1)
                if let header { table.append(row: header) }
                func add(_ o: T) {
                    if namespaceColumn { table.append(o.metadata.namespace) }
                    // The prefix becomes the start of the first cell the kind writes: its name.
                    if let namePrefix { table.appendPiece(namePrefix) }
                    cells(o, wide, &table)
                    if !labelColumns.isEmpty || showLabels {
                        let labels = o.metadata.labels
                        for key in labelColumns { table.append(labels[key] ?? "") }
                        if showLabels { table.append(formatLabels(labels)) }
                    }
                }
                if let candidates {
                    for key in candidates { if let o = store.get(key) { add(o) } }
                    return table
                }
                let all = selector.isEmpty
                store.forEach(namespace: namespace, after: nil) { o in
                    if all || selector.matches(o.metadata.labels) { add(o) }
                    return true
                }
                return table
            }
        }
        let namespace = t.namespaced ? namespace : nil
        let candidates = t.kind == Pod.kind && !selector.isEmpty ? podKeys(matching: selector, namespace: namespace) : nil
        let visitor = Table(t: t, namespace: namespace, wide: wide, header: header, namespaceColumn: namespaceColumn,
                            selector: selector, candidates: candidates, namePrefix: namePrefix, labelColumns: labelColumns, showLabels: showLabels)
        return visitStore(t, visitor) ?? CellTable(columns: 0)
    }

    /// One page of a list: up to `limit` objects after `after` that pass `filter`, the key to
    /// continue from when more may follow, and (without a filter) how many remain — the API
    /// server's limit/continue, without building the entries it does not return.
    public func catalogPage(_ t: ResourceDescription, namespace: String?, after: ObjectKey?, limit: Int,
                            where filter: ((CatalogEntry) -> Bool)? = nil) -> (entries: [CatalogEntry], next: ObjectKey?, remaining: Int?) {
        struct Page: StoreVisitor {
            let t: ResourceDescription, namespace: String?, after: ObjectKey?, limit: Int, filter: ((CatalogEntry) -> Bool)?
            func visit<T: KubeResource>(_ store: TypedStore<T>, cells: @escaping Cells<T>, encode: @escaping (T) -> Value) -> (entries: [CatalogEntry], next: ObjectKey?, remaining: Int?) {
                var entries: [CatalogEntry] = []
                var more = false
                store.forEach(namespace: namespace, after: after) { o in
                    let e = CatalogEntry(metadata: o.metadata, value: { encode(o) }, row: { Self.row(of: o, t, cells, wide: $0) })
                    guard filter?(e) ?? true else { return true }
                    if entries.count == limit { more = true; return false }
                    entries.append(e)
                    return true
                }
                guard more, let last = entries.last else { return (entries, nil, nil) }
                let key = ObjectKey(last.metadata.namespace, last.metadata.name)
                return (entries, key, filter == nil ? store.count(namespace: namespace, after: key) : nil)
            }
        }
        return visitStore(t, Page(t: t, namespace: t.namespaced ? namespace : nil, after: after, limit: limit, filter: filter)) ?? ([], nil, nil)
    }
}
