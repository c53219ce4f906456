import ClusterModel

/// One controller of the simulated control plane, in upstream's shape: event handlers that only
/// queue keys (client-go's ResourceEventHandler), a work queue and state of its own, and a sync
/// that writes only through the cluster's write path (`putPod`, `putReplicaSet`, …), exactly as
/// a real controller writes only through the API server.
///
/// `Cluster` owns one instance of each (`Cluster.controllers`), calls their handlers from its
/// write path and runs them from `settle` — both in the order that list fixes. Adding a
/// controller is a subclass in a file of its own plus a line in that list: the write path and
/// `settle` do not change. Each can be driven alone in a test: write objects, then call its
/// `runQueued` and look at what it wrote.
class Controller {
    /// The cluster that owns this controller and outlives it. Unowned and unchecked because the
    /// handlers run on every write (a reference count there would be paid 150,000 times per
    /// rollout step), and `Cluster` never hands its controllers out.
    unowned(unsafe) let cluster: Cluster

    init(_ cluster: Cluster) { self.cluster = cluster }

    /// A pod was created (old nil), changed, or deleted (new nil).
    func podChanged(old: Pod?, new: Pod?, _ key: ObjectKey) {}
    /// A Service was created (old nil), changed, or deleted (new nil).
    func serviceChanged(old: Service?, new: Service?, _ key: ObjectKey) {}
    /// A Deployment was created (old nil), changed, or deleted (new nil).
    func deploymentChanged(old: Deployment?, new: Deployment?, _ key: ObjectKey) {}
    /// A ReplicaSet was created (old nil), changed, or deleted (new nil).
    func replicaSetChanged(old: ReplicaSet?, new: ReplicaSet?, _ key: ObjectKey) {}
    /// A slice of the Service was written or deleted (or stopped naming it).
    func endpointSlicesChanged(service: ObjectKey) {}
    /// An Endpoints object was written or deleted.
    func endpointsChanged(_ key: ObjectKey) {}
    /// A node was created (old nil) or changed.
    func nodeChanged(old: Node?, new: Node) {}

    /// Syncs queued work: one key, or a whole batch when the controller batches. False when it
    /// has nothing to do now (its queue is empty, or its batch is still gathering — then it set
    /// a timer for the batch's end). `batching` is true while the clock runs through timers.
    func runQueued(batching: Bool) -> Bool { false }

    /// Forgets queued work (a mirror of a real cluster runs no controller).
    func dropQueuedWork() {}

    /// How many entries its queues and caches hold (see `Cluster.footprint`).
    var footprint: [String: Int] { [:] }
}

/// The usual shape: one work queue, one key synced per `runQueued` (upstream's processNextWorkItem).
class QueueController: Controller {
    var queue = WorkQueue()

    /// Reconciles one queued key with what is stored.
    func sync(_ key: ObjectKey) {}

    override func runQueued(batching: Bool) -> Bool {
        guard let key = queue.popFirst() else { return false }
        sync(key)
        return true
    }

    override func dropQueuedWork() { queue.removeAll() }
}
