/// How text takes up a terminal: the columns a character takes, tab stops, and wrapping that
/// never cuts. The lab's renderer draws with it and `svclab scenarios --check` measures lesson
/// text with it, so both agree on what fits on an 80×24 screen.
public enum TextLayout {
    /// Columns a grapheme takes (box drawing and the status glyphs are narrow; CJK and emoji wide).
    public static func columns(_ c: Character) -> Int {
        guard let v = c.unicodeScalars.first?.value else { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0x1F300...0x1FAFF).contains(v) { return 2 }
        return 1
    }

    /// Columns `text` takes on screen.
    public static func columns(of text: some StringProtocol) -> Int { text.reduce(0) { $0 + columns($1) } }

    /// The longest prefix of `s` that takes at most `columns` cells.
    public static func prefix(_ s: String, columns limit: Int) -> String {
        var out = "", used = 0
        for ch in s {
            let w = columns(ch)
            if used + w > limit { break }
            out.append(ch); used += w
        }
        return out
    }

    /// Tabs become spaces to the next multiple of 8, as a terminal shows nslookup's `Name:<TAB>…`.
    public static func expandTabs(_ s: String) -> String {
        guard s.contains("\t") else { return s }
        var out = ""
        for ch in s {
            if ch == "\t" { repeat { out.append(" ") } while out.count % 8 != 0 } else { out.append(ch) }
        }
        return out
    }

    /// Wraps `text` to `width` columns; continuation lines get `indent`. A word longer than a
    /// line (an endpoint list, a jsonpath) is broken across lines: nothing is cut.
    public static func wrap(_ text: String, _ width: Int, indent: String) -> [String] {
        // A YAML block (`about: |`) keeps its line breaks: each line is wrapped on its own (a
        // newline inside a "word" reached the screen as a control character and hid a line).
        if text.contains("\n") {
            var paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if paragraphs.last == "" { paragraphs.removeLast() }
            return paragraphs.flatMap { wrap($0, width, indent: indent) }
        }
        let text = expandTabs(text)
        guard width > indent.count + 8 else { return [text] }
        var lines: [String] = []
        // Leading spaces are kept (a choice "  1. …", a solution's indented command).
        let lead = String(text.prefix { $0 == " " })
        var current = lead
        var hasWord = false   // whether `current` holds a word yet (or only its indentation)
        for word in text.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = hasWord ? current + " " + word : current + word
            if columns(of: candidate) <= width || !hasWord {
                current = candidate
            } else {
                lines.append(current)
                current = indent + word
            }
            hasWord = true
            // Still too long: the word itself is wider than a line; break it.
            while columns(of: current) > width {
                let head = prefix(current, columns: width)
                lines.append(head)
                current = indent + current.dropFirst(head.count)
            }
        }
        // A blank line takes no row (a block scalar's final newline, output's trailing blank).
        if hasWord && current != indent && !current.allSatisfy({ $0 == " " }) { lines.append(current) }
        return lines
    }

    /// Which lines are rows of a column-aligned table (kubectl's, traffic's): a header of
    /// capitalised words two or more spaces apart, and the lines below it whose cells start
    /// where the header's columns start. Such rows are cut (and scrolled sideways), never
    /// wrapped — a wrapped table row no longer lines up; prose around them wraps.
    public static func tableRows(_ lines: [String]) -> [Bool] {
        var rows = Array(repeating: false, count: lines.count)
        var starts: [Int]?
        for (i, line) in lines.enumerated() {
            let chars = Array(line)
            if let columns = starts, !columns.isEmpty,
               columns.allSatisfy({ c in c < chars.count && chars[c - 1] == " " && chars[c] != " " }), chars.first != " " {
                rows[i] = true
                continue
            }
            starts = headerColumns(chars)
            if starts != nil { rows[i] = true }
        }
        return rows
    }

    /// The columns (after the first) where a table header's cells start, or nil. Cells are
    /// two or more spaces apart ("READINESS GATES" is one cell); a header has at least two.
    static func headerColumns(_ chars: [Character]) -> [Int]? {
        guard let first = chars.first, first.isUppercase else { return nil }
        guard chars.allSatisfy({ $0 == " " || $0.isUppercase || $0.isNumber || "()/_-.:%".contains($0) }) else { return nil }
        var starts: [Int] = []
        for i in 2..<max(2, chars.count) where chars[i] != " " && chars[i - 1] == " " && chars[i - 2] == " " {
            starts.append(i)
        }
        return starts.isEmpty ? nil : starts
    }

    /// The lab's screen at its smallest, which lesson text must fit: the narration box and the
    /// full-screen view that opens when the box is too small are both this wide, less a border.
    public static let minimumScreen = (width: 80, height: 24)
    /// Rows the full-screen view shows at once (the screen less the header and the two borders).
    public static var rowsOnOneScreen: Int { minimumScreen.height - 3 }
    /// Lesson text wrapped as the lab wraps it at the smallest screen.
    public static func lessonLines(_ lines: [String]) -> [String] {
        lines.flatMap { wrap($0, minimumScreen.width - 2, indent: "  ") }
    }
}
