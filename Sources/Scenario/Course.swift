import Foundation
import Kubectl

/// `svclab play DIR`: a folder of lessons played in file-name order, with progress kept per
/// folder (its real path) and file name, so a learner resumes where they stopped.
public struct Course: Sendable {
    /// The folder's real path (the key progress is kept under).
    public let folder: String
    /// Lesson file names, in name order.
    public let lessons: [String]

    public init?(folder: String) {
        guard let real = FileConfinement.realPath(folder) else { return nil }
        self.folder = real
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.folder)) ?? []
        lessons = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        if lessons.isEmpty { return nil }
    }

    public func path(_ lesson: String) -> String { folder + "/" + lesson }

    /// The first lesson not yet done (the last one when all are).
    public func resumeIndex(_ progress: CourseProgress) -> Int {
        let done = progress.done(in: folder)
        return lessons.firstIndex { !done.contains($0) } ?? lessons.count - 1
    }
}

/// Which lessons of which course are done, in `$XDG_STATE_HOME/svclab/progress.json`
/// (`~/.local/state/svclab/` without it). Written after each finished lesson.
public final class CourseProgress {
    public let file: String
    private var courses: [String: [String]] = [:]

    public static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/svclab/progress.json" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/svclab/progress.json"
    }

    public init(file: String = CourseProgress.defaultFile()) {
        self.file = file
        if let data = FileManager.default.contents(atPath: file),
           let decoded = try? JSONDecoder().decode([String: [String: [String]]].self, from: data) {
            courses = decoded["courses"] ?? [:]
        }
    }

    public func done(in folder: String) -> Set<String> { Set(courses[folder] ?? []) }

    /// Marks a lesson done and saves; a failure to save is returned (the lab says it).
    @discardableResult
    public func markDone(_ lesson: String, in folder: String) -> String? {
        var list = courses[folder] ?? []
        if !list.contains(lesson) { list.append(lesson); list.sort() }
        courses[folder] = list
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(["courses": courses]).write(to: URL(fileURLWithPath: file), options: .atomic)
            return nil
        } catch {
            return "cannot save progress to \(file): \(error.localizedDescription)"
        }
    }
}
