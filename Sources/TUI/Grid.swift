import TextLayout

/// What a cell means; the theme turns it into colour and attributes, and every role that
/// carries meaning also has a glyph in the text, so it survives NO_COLOR and monochrome.
public enum Role: String, CaseIterable, Sendable {
    case normal, dim, accent, header, title, ok, warn, error, added, changed, removed, selected, prompt
    /// The header over a real cluster (`svclab --kubeconfig`).
    case live
}

public struct Cell: Equatable, Sendable {
    public var text: String      // one grapheme ("" for the right half of a wide one)
    public var role: Role
    public init(_ text: String = " ", _ role: Role = .normal) { self.text = text; self.role = role }
}

/// The frame being drawn: `render` fills it, a terminal shows it, tests compare it.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Characters `put` had to cut because they did not fit (the lesson tests require none:
    /// text is elided with … or wrapped on purpose, never silently cut).
    public private(set) var dropped = 0

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Columns a grapheme takes (TextLayout decides, for the renderer and the lesson checker alike).
    static func columns(_ c: Character) -> Int { TextLayout.columns(c) }

    /// Writes `text` from (x, y), clipped at `maxWidth` columns (and the grid's edge).
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ role: Role = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        var written = 0
        for ch in text {
            let w = Self.columns(ch)
            if col + w > limit { dropped += text.count - written; break }
            written += 1
            if col >= 0 {
                self[col, y] = Cell(String(ch), role)
                if w == 2 { self[col + 1, y] = Cell("", role) }
            }
            col += w
        }
        return col
    }

    /// Columns `text` takes on screen.
    public static func columns(of text: String) -> Int { TextLayout.columns(of: text) }

    /// Writes `text` within `width` columns; what would not fit ends in "…" — elided on purpose,
    /// so it is not counted in `dropped`. Returns the column after the last one written.
    @discardableResult
    public mutating func putFitted(_ x: Int, _ y: Int, _ text: String, _ role: Role = .normal, width: Int) -> Int {
        guard width > 0 else { return x }
        guard Self.columns(of: text) > width else { return put(x, y, text, role, maxWidth: width) }
        var kept = "", used = 0
        for ch in text {
            let w = Self.columns(ch)
            if used + w > width - 1 { break }
            kept.append(ch); used += w
        }
        return put(x, y, kept + "…", role, maxWidth: width)
    }

    public mutating func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ role: Role) {
        for row in y..<(y + h) { for col in x..<(x + w) { self[col, row] = Cell(" ", role) } }
    }

    /// The visible text, one line per row, trailing blanks trimmed (what `tmux capture-pane` shows).
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += cells[y * width + x].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// One letter per cell naming its role (a snapshot of the colour layer).
    public var roles: String {
        let letter: [Role: Character] = [.normal: ".", .dim: "d", .accent: "a", .header: "H", .title: "T", .ok: "o", .warn: "w",
                                         .error: "e", .added: "+", .changed: "~", .removed: "-", .selected: "S", .prompt: "p", .live: "L"]
        return (0..<height).map { y in String((0..<width).map { letter[cells[y * width + $0].role]! }) }.joined(separator: "\n")
    }
}

/// Box drawing and status glyphs, Unicode when the locale can show them, ASCII otherwise.
public struct Glyphs: Sendable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    public var ready, notReady, terminating, selectedMark, unselectedMark, added, changed, removed, arrow: String

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                       ready: "✓", notReady: "✗", terminating: "…", selectedMark: "●", unselectedMark: "○",
                                       added: "+", changed: "~", removed: "-", arrow: "→")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                     ready: "v", notReady: "x", terminating: ".", selectedMark: "*", unselectedMark: "o",
                                     added: "+", changed: "~", removed: "-", arrow: ">")
}

extension Grid {
    /// A framed pane with a title in its top border; returns the inner rectangle.
    @discardableResult
    public mutating func box(_ x: Int, _ y: Int, _ w: Int, _ h: Int, title: String, focused: Bool, glyphs: Glyphs) -> (x: Int, y: Int, w: Int, h: Int) {
        guard w >= 2, h >= 2 else { return (x, y, 0, 0) }
        let role: Role = focused ? .accent : .dim
        put(x, y, glyphs.topLeft, role)
        for col in (x + 1)..<(x + w - 1) { put(col, y, glyphs.horizontal, role); put(col, y + h - 1, glyphs.horizontal, role) }
        put(x + w - 1, y, glyphs.topRight, role)
        put(x, y + h - 1, glyphs.bottomLeft, role)
        put(x + w - 1, y + h - 1, glyphs.bottomRight, role)
        for row in (y + 1)..<(y + h - 1) { put(x, row, glyphs.vertical, role); put(x + w - 1, row, glyphs.vertical, role) }
        // A title longer than the border ends in "…" (a long command as the output view's title).
        putFitted(x + 2, y, " \(title) ", focused ? .title : .dim, width: w - 4)
        return (x + 1, y + 1, w - 2, h - 2)
    }
}
