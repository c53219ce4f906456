/// The identifiers a kubelet reports for a container (containerd's): `containerID` once the
/// container exists, `imageID` (the digest it was pulled by) once its image is pulled. Derived
/// from the pod's UID, the container's name and the image, so they are stable and distinct;
/// the API's status and `kubectl describe` read them from here.
public enum ContainerIdentity {
    static func hex64(_ seed: String) -> String { (0..<4).map { StableHash.hex16(seed + String($0)) }.joined() }

    /// `containerd://<64 hex>`.
    public static func containerID(podUID: String, container: String) -> String {
        "containerd://" + hex64(podUID + "/" + container)
    }

    /// `docker.io/library/nginx@sha256:<64 hex>`: the image's full repository and a digest.
    public static func imageID(_ image: String) -> String {
        let repo = image.split(separator: "@").first.map { String($0) } ?? image
        let name = repo.split(separator: ":").first.map(String.init) ?? repo
        let full = name.contains("/") ? (name.split(separator: "/").first!.contains(".") ? name : "docker.io/" + name) : "docker.io/library/" + name
        return "\(full)@sha256:" + hex64(image)
    }

    /// What a status reports: both once the container has run, neither while it is created.
    public static func ids(_ status: ContainerStatus, podUID: String) -> (containerID: String?, imageID: String) {
        // Each instance of a restarted container has its own ID; one waiting to restart shows
        // its last instance's.
        let instance = status.restartCount == 0 ? status.name : "\(status.name)#\(status.restartCount)"
        switch status.state {
        case .running, .terminated: return (containerID(podUID: podUID, container: instance), imageID(status.image))
        case .waiting where status.lastState != nil: return (containerID(podUID: podUID, container: instance), imageID(status.image))
        case .waiting: return (nil, "")
        }
    }
}

/// FNV-1a: stable across runs and machines (Swift's Hasher is seeded per process), for the IDs
/// the simulation derives from names (containers, images, nodes).
enum StableHash {
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h ^= UInt64(b); h = h &* 1_099_511_628_211 }
        return h
    }

    /// Sixteen hex digits.
    static func hex16(_ s: String) -> String { String(fnv1a(s), radix: 16).leftPadded(to: 16, with: "0") }
}
