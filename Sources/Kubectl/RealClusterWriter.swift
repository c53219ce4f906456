import ClusterEngine

/// Sends what a kubectl command changed on a mirror (`Cluster.journalMirror`) to the real
/// cluster it mirrors; `svclab --kubeconfig` wires RemoteCluster's RealCluster in.
public protocol RealClusterWriter: AnyObject {
    /// nil on success, else the error as kubectl prints it.
    func write(_ journal: [MirrorJournalEntry]) -> String?
}
