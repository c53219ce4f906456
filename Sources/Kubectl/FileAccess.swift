import ClusterModel
import Foundation

/// Which files a session's commands may read. The interactive shell reads whatever the user
/// names, as kubectl does; a lesson (a file people download) is confined to its own folder, or
/// its course's folder, so `-f ../../etc/passwd` or a symbolic link out of the folder is refused
/// before anything is opened, and no error message can echo a host file's content.
public struct FileConfinement: Sendable, Equatable {
    /// The folder's real path (symbolic links resolved), without a trailing slash.
    public let root: String
    /// What the folder is, for messages: "the scenario's folder", "the course folder".
    public let what: String

    public init?(folder: String, what: String) {
        guard let real = FileConfinement.realPath(folder) else { return nil }
        root = real
        self.what = what
    }

    /// `realpath(3)`: the path with every symbolic link and `..` resolved; nil if it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Whether `path` (absolute) lies inside the folder once every link is resolved. A path that
    /// does not exist is inside when its text stays inside (so "not found" is said for it, not
    /// "outside").
    public func contains(_ path: String) -> Bool {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let resolved = FileConfinement.realPath(absolute) ?? Self.lexical(absolute)
        return resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// `..` and `.` removed by text alone, for a path that does not exist yet.
    static func lexical(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else if part != "." { parts.append(part) }
        }
        // The deepest existing ancestor may itself be a link: resolve it and re-attach the rest.
        var prefix = parts
        var rest: [Substring] = []
        while !prefix.isEmpty {
            if let real = realPath("/" + prefix.joined(separator: "/")) {
                return rest.isEmpty ? real : real + "/" + rest.reversed().joined(separator: "/")
            }
            rest.append(prefix.removeLast())
        }
        return "/" + parts.joined(separator: "/")
    }

    public func refusal(_ name: String) -> String {
        "error: the path \(goQuote(name)) is outside \(what) (\(root)); a lesson may read only the files inside it"
    }
}

/// Why a file could not be read.
public enum FileReadFailure: Error, Equatable {
    case notFound
    case outside(String)
    case notUTF8
}

extension Session {
    /// Reads a file a command names (`-f`, `--patch-file`, `why -f`), relative to the session's
    /// folder and within its confinement.
    public func readUserFile(_ name: String) -> Result<String, FileReadFailure> {
        let path = resolvePath(name)
        if let confinement, !confinement.contains(path) { return .failure(.outside(confinement.refusal(name))) }
        guard fileExists(path) else { return .failure(.notFound) }
        do { return .success(try readFile(path)) } catch {
            // The file is there but is not text svclab can read: say so, not "does not exist".
            if let data = FileManager.default.contents(atPath: path), String(data: data, encoding: .utf8) == nil { return .failure(.notUTF8) }
            return .failure(.notFound)
        }
    }

    /// The entries of a folder a command names, or nil if it is not a folder; entries that lead
    /// outside the confinement (symbolic links) are left out.
    public func listUserDirectory(_ name: String) -> Result<[String], FileReadFailure>? {
        let path = resolvePath(name)
        if let confinement, !confinement.contains(path) { return .failure(.outside(confinement.refusal(name))) }
        guard let entries = listDirectory(path) else { return nil }
        return .success(entries)
    }
}

/// The files a command line would read: kubectl's `-f`/`--filename` (not `-`, which is stdin),
/// `--patch-file`, and `why -f`. Used to check a lesson before it runs and to inline what a
/// recorded session applied.
public enum FileArguments {
    public static func named(in words: [String]) -> [String] {
        guard let command = words.first, ["kubectl", "k", "why"].contains(command) else { return [] }
        var names: [String] = []
        var i = 1
        while i < words.count {
            let w = words[i]
            var value: String?
            if ["-f", "--filename", "--patch-file"].contains(w), i + 1 < words.count {
                value = words[i + 1]; i += 1
            } else if let eq = w.firstIndex(of: "="), ["-f", "--filename", "--patch-file"].contains(String(w[..<eq])) {
                value = String(w[w.index(after: eq)...])
            } else if w.hasPrefix("-f"), w.count > 2, !w.hasPrefix("--") {
                value = String(w.dropFirst(2))
            }
            if let value, value != "-" { names.append(value) }
            i += 1
        }
        return names
    }

    /// Whether the line reads the rest of its input as a manifest: only `-f -` / `--filename=-`
    /// (a bare `-` elsewhere is an ordinary word).
    public static func readsStdin(_ words: [String]) -> Bool {
        guard let command = words.first, ["kubectl", "k"].contains(command) else { return false }
        for (i, w) in words.enumerated() {
            if (w == "-f" || w == "--filename") && i + 1 < words.count && words[i + 1] == "-" { return true }
            if w == "-f-" || w == "--filename=-" || w == "-f=-" { return true }
        }
        return false
    }
}
