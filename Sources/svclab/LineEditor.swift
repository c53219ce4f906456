import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Line editing, history and Tab completion at the prompt, from the system's libedit (BSD
/// editline, through its readline interface).
///
/// It is loaded at run time with dlopen rather than linked: Debian ships only the library
/// (libedit2, which the Swift toolchain itself needs), not its headers, and a machine without
/// it still gets a working prompt — plain line input, no editing.
final class LineEditor {
    private typealias Readline = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    private typealias AddHistory = @convention(c) (UnsafePointer<CChar>?) -> Int32
    typealias Completion = @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    private let readline: Readline
    private let addHistory: AddHistory
    private var lastHistory = ""

    /// What the completion callback calls: (line up to the cursor, word being completed) → candidates.
    /// A C callback cannot capture context, so it lives here; the shell has one prompt.
    nonisolated(unsafe) static var completer: ((String, String) -> [String])?
    nonisolated(unsafe) fileprivate static var lineBuffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    nonisolated(unsafe) fileprivate static var completionOver: UnsafeMutablePointer<Int32>?

    private init(readline: Readline, addHistory: AddHistory) {
        self.readline = readline
        self.addHistory = addHistory
    }

    static func load() -> LineEditor? {
        guard let handle = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL),
              let rl = dlsym(handle, "readline"), let add = dlsym(handle, "add_history") else { return nil }
        let editor = LineEditor(readline: unsafeBitCast(rl, to: Readline.self), addHistory: unsafeBitCast(add, to: AddHistory.self))
        lineBuffer = dlsym(handle, "rl_line_buffer")?.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
        completionOver = dlsym(handle, "rl_attempted_completion_over")?.assumingMemoryBound(to: Int32.self)
        if let slot = dlsym(handle, "rl_attempted_completion_function") {
            slot.assumingMemoryBound(to: Completion?.self).pointee = complete
        }
        return editor
    }

    /// One line, or nil at end of input (Ctrl-D on an empty line).
    func readLine(prompt: String) -> String? {
        clearInterrupt()
        guard let raw = prompt.withCString({ readline($0) }) else {
            // Ctrl-C at the prompt discards the line, as in bash; only Ctrl-D ends the shell.
            if interruptRequested {
                FileHandle.standardOutput.write("\n".data(using: .utf8)!)
                return ""
            }
            return nil
        }
        defer { free(raw) }
        let line = String(cString: raw)
        // Like bash's ignoredups: blank lines and repeats stay out of the history.
        if !line.trimmingCharacters(in: .whitespaces).isEmpty && line != lastHistory {
            _ = addHistory(raw)
            lastHistory = line
        }
        return line
    }
}

/// rl_attempted_completion_function: a NULL-terminated, malloc'd array whose first entry
/// replaces the word (the candidates' common prefix), followed by the candidates.
private let complete: LineEditor.Completion = { text, _, end in
    LineEditor.completionOver?.pointee = 1   // never fall back to file names
    guard let completer = LineEditor.completer else { return nil }
    let word = text.map { String(cString: $0) } ?? ""
    let buffer = LineEditor.lineBuffer?.pointee.map { String(cString: $0) } ?? word
    let upToCursor = String(decoding: buffer.utf8.prefix(Int(end)), as: UTF8.self)
    let matches = completer(upToCursor, word)
    guard let first = matches.first else { return nil }
    var common = first
    for m in matches.dropFirst() {
        while !m.hasPrefix(common) { common.removeLast() }
    }
    let entries = matches.count == 1 ? [first] : [common] + matches
    // libedit frees the array and its strings with free(3): allocate them with malloc. Two
    // NULLs at the end: libedit's fn_complete reads matches[2] to detect a single match (and
    // then appends a space), even when matches[1] is already the end.
    let raw = malloc((entries.count + 2) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
    let result = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 2)
    for (i, e) in entries.enumerated() { result[i] = strdup(e) }
    result[entries.count] = nil
    result[entries.count + 1] = nil
    return result
}
