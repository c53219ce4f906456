import ClusterEngine
import ClusterModel
import Kubectl

/// The one place the engine is touched while serving: an actor that owns the session, so HTTP
/// requests (and the clock) reach the synchronous, single-threaded engine one at a time.
public actor ClusterHost {
    let session: Session
    /// Simulated milliseconds per wall millisecond (0: the clock stands still).
    let speed: Double
    private var lastWall: Double?
    /// Open watches by watcher id.
    var watches: [Int: WatchStream] = [:]

    public init(session: sending Session, speed: Double) {
        self.session = session
        self.speed = speed
    }

    /// Runs `body` with the engine (no other request runs meanwhile).
    func with<T: Sendable>(_ body: (Session) throws -> T) rethrows -> T {
        try body(session)
    }

    /// Moves the simulated clock by the wall time since the last tick, times `speed`.
    func tick(wallSeconds: Double) {
        defer { lastWall = wallSeconds }
        guard let last = lastWall, speed > 0 else { return }
        let ms = Millis((wallSeconds - last) * 1000 * speed)
        if ms > 0 { session.cluster.advance(byMillis: ms) }
    }
}
