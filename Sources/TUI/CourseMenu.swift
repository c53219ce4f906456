import Foundation
import Scenario

/// The course menu of `svclab play DIR`: the lessons in order, ✓ for those done, the cursor on
/// the first unfinished one. Enter plays the selected lesson, q leaves.
public struct CourseMenu {
    public let course: Course
    public var done: Set<String>
    public var index: Int
    public var message: String?

    public init(course: Course, progress: CourseProgress) {
        self.course = course
        done = progress.done(in: course.folder)
        index = course.resumeIndex(progress)
    }

    public enum Choice: Equatable { case play(Int), quit, none }

    public mutating func handle(_ input: TerminalInput) -> Choice {
        switch input {
        case .key(.up), .key(.char("k")): index = max(0, index - 1)
        case .key(.down), .key(.char("j")): index = min(course.lessons.count - 1, index + 1)
        case .key(.enter), .key(.char("n")): return .play(index)
        case .key(.char("q")), .key(.ctrl("c")), .key(.escape): return .quit
        default: break
        }
        return .none
    }

    public func render(width: Int, height: Int, unicode: Bool) -> Grid {
        let glyphs = unicode ? Glyphs.unicode : Glyphs.ascii
        var g = Grid(width: width, height: height)
        let doneCount = course.lessons.filter(done.contains).count
        g.putFitted(0, 0, " svclab · course \((course.folder as NSString).lastPathComponent) · \(doneCount) of \(course.lessons.count) done", .header, width: width)
        let inner = g.box(0, 1, width, height - 2, title: "Lessons", focused: true, glyphs: glyphs)
        let first = max(0, min(index - inner.h + 1, course.lessons.count - inner.h))
        for (i, lesson) in course.lessons.enumerated().dropFirst(first).prefix(inner.h) {
            let title = ScenarioParser.title(path: course.path(lesson)) ?? "(does not parse: svclab scenarios --check tells why)"
            let mark = done.contains(lesson) ? glyphs.ready : " "
            let row = inner.y + i - first
            let cursor = i == index ? glyphs.arrow : " "
            // The file name without its extension, then the title; a line too long ends in "…".
            let name = lesson.hasSuffix(".yaml") ? String(lesson.dropLast(5)) : lesson
            g.putFitted(inner.x, row, "\(cursor)\(mark) " + name + "  " + title, i == index ? .selected : (done.contains(lesson) ? .dim : .normal), width: inner.w)
        }
        g.putFitted(0, height - 1, message ?? "↑/↓ choose  Enter play  q quit   (progress is kept; the next run resumes here)", message == nil ? .dim : .warn, width: width)
        return g
    }
}
