/// Go's tabwriter as kubectl configures it. Cells are separated by TAB; the last cell of a line
/// is trailing text and never padded. `get` tables: minwidth 6, padding 3. `describe`: minwidth 0,
/// padding 2. Column blocks (consecutive lines having a cell at that index) align together.
public struct TabWriter {
    public var minWidth: Int
    public var padding: Int
    /// Widths remembered from earlier flushes (`get -w` keeps growing its columns).
    public var remembered: [Int] = []
    public var rememberWidths: Bool

    public init(minWidth: Int = 6, padding: Int = 3, rememberWidths: Bool = false) {
        self.minWidth = minWidth; self.padding = padding; self.rememberWidths = rememberWidths
    }

    public static func width(_ s: String) -> Int { s.unicodeScalars.count }

    /// Formats `text` (lines with TABs) and returns it with the same line endings.
    public mutating func format(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trailingNewline = lines.last == ""
        if trailingNewline { lines.removeLast() }
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var out = Array(repeating: "", count: lines.count)
        formatColumn(cells, rows: 0..<cells.count, column: 0, into: &out)
        return out.joined(separator: "\n") + (trailingNewline ? "\n" : "")
    }

    private mutating func formatColumn(_ cells: [[String]], rows: Range<Int>, column: Int, into out: inout [String]) {
        var r = rows.lowerBound
        while r < rows.upperBound {
            // Lines without a cell at this column: their remaining text is trailing.
            if cells[r].count - 1 <= column {
                if cells[r].count - 1 == column { out[r] += cells[r][column] }
                r += 1
                continue
            }
            var end = r
            while end < rows.upperBound && cells[end].count - 1 > column { end += 1 }
            var width = 0
            for i in r..<end { width = max(width, TabWriter.width(cells[i][column]) + padding) }
            width = max(width, minWidth)
            if rememberWidths {
                if column < remembered.count { width = max(width, remembered[column]); remembered[column] = width }
                else { while remembered.count < column { remembered.append(0) }; remembered.append(width) }
            }
            for i in r..<end {
                let cell = cells[i][column]
                out[i] += cell + String(repeating: " ", count: max(0, width - TabWriter.width(cell)))
            }
            formatColumn(cells, rows: r..<end, column: column + 1, into: &out)
            r = end
        }
    }
}

