import ClusterEngine
import ClusterModel
import Foundation
import Kubectl

/// How the HTTP side reaches the engine, which is synchronous and single-threaded: every
/// request runs as one job on whatever owns the session.
public protocol EngineAccess: Sendable {
    func run<T: Sendable>(_ body: @escaping @Sendable (Session) -> T) async -> T
}

/// `svclab serve`: an actor owns the session; requests and the clock take turns on it.
public actor ClusterHost: EngineAccess {
    let session: Session
    /// Simulated milliseconds per wall millisecond (0: the clock stands still).
    let speed: Double
    private var lastWall: Double?

    public init(session: sending Session, speed: Double) {
        self.session = session
        self.speed = speed
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable (Session) -> T) async -> T {
        body(session)
    }

    /// Moves the simulated clock by the wall time since the last tick, times `speed`.
    func tick(wallSeconds: Double) {
        defer { lastWall = wallSeconds }
        guard let last = lastWall, speed > 0 else { return }
        let ms = Millis((wallSeconds - last) * 1000 * speed)
        if ms > 0 { session.cluster.advance(byMillis: ms) }
    }
}

/// `svclab --serve`: the lab's loop owns the session (it draws, reads keys and moves the clock)
/// and runs the queued requests between frames — one serial executor for the screen and the API.
public final class EngineInbox: EngineAccess, @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [(Session) -> Void] = []

    public init() {}

    public func run<T: Sendable>(_ body: @escaping @Sendable (Session) -> T) async -> T {
        await withCheckedContinuation { continuation in
            lock.lock(); defer { lock.unlock() }
            jobs.append { session in continuation.resume(returning: body(session)) }
        }
    }

    /// Runs what is queued (from the thread that owns `session`); returns how many jobs ran.
    public func drain(_ session: Session) -> Int {
        lock.lock()
        let pending = jobs
        jobs.removeAll()
        lock.unlock()
        for job in pending { job(session) }
        return pending.count
    }
}
