import ClusterModel

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

    /// Go's utf8.RuneCountInString: UTF-8 lead bytes, counted without decoding.
    public static func width(_ s: String) -> Int {
        var n = 0
        for b in s.utf8 where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Formats `text` (lines with TABs) and returns it with the same line endings.
    public mutating func format(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trailingNewline = lines.last == ""
        if trailingNewline { lines.removeLast() }
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        return format(cells: cells, trailingNewline: trailingNewline)
    }

    /// The same for lines already split into cells (a table's rows: no joining and splitting
    /// again). Widths first, then one output string.
    public mutating func format(cells: [[String]], trailingNewline: Bool = true) -> String {
        // Every row with the same number of cells (a get table): each column is one block.
        if let count = cells.first?.count, !rememberWidths, cells.allSatisfy({ $0.count == count }) {
            var table = CellTable(columns: count, reservingRows: cells.count)
            for row in cells { table.append(row: row) }
            return format(table: table, trailingNewline: trailingNewline)
        }
        let measured = cells.map { $0.map(TabWriter.width) }
        var widths = cells.map { Array(repeating: 0, count: max(0, $0.count - 1)) }
        measureColumn(measured, rows: 0..<cells.count, column: 0, into: &widths)
        var total = 0
        for (r, row) in widths.enumerated() { total += row.reduce(0, +) + (measured[r].last ?? 0) + 1 }
        var out = ""
        out.reserveCapacity(total)
        for (r, row) in cells.enumerated() {
            if r > 0 { out += "\n" }
            for (c, cell) in row.enumerated() {
                out += cell
                if c < row.count - 1 {
                    let pad = widths[r][c] - measured[r][c]
                    if pad > 0 { out += String(repeating: " ", count: pad) }
                }
            }
        }
        if trailingNewline { out += "\n" }
        return out
    }

    /// A table whose rows all have the same cells (a `get` table): each column is one block,
    /// as wide as its widest cell plus padding (at least minWidth); the last column is not padded.
    public func format(table: CellTable, trailingNewline: Bool = true) -> String {
        let columns = table.columns, rows = table.rowCount
        guard columns > 0, rows > 0 else { return "" }
        let widths = table.widths.dropLast().map { max(minWidth, $0 + padding) }
        // Every padded cell ends at its column's width, so this bounds the output from above.
        let capacity = table.bytes.count + (widths.reduce(0, +) + 1) * rows + 1
        return table.bytes.withUnsafeBufferPointer { cells in
            String(unsafeUninitializedCapacity: capacity) { buffer in
                var at = 0
                for r in 0..<rows {
                    if r > 0 { buffer[at] = 0x0A; at += 1 }
                    for c in 0..<columns {
                        let cell = table.cell(r, c)
                        let n = cell.bytes.count
                        if n > 0 {
                            (buffer.baseAddress! + at).update(from: cells.baseAddress! + cell.bytes.lowerBound, count: n)
                            at += n
                        }
                        if c < columns - 1 {
                            for _ in 0..<max(0, widths[c] - cell.runes) { buffer[at] = 0x20; at += 1 }
                        }
                    }
                }
                if trailingNewline { buffer[at] = 0x0A; at += 1 }
                return at
            }
        }
    }

    /// Column blocks (consecutive lines having a cell after this one) share a width: the
    /// widest cell plus padding, at least minWidth.
    private mutating func measureColumn(_ measured: [[Int]], rows: Range<Int>, column: Int, into widths: inout [[Int]]) {
        var r = rows.lowerBound
        while r < rows.upperBound {
            guard measured[r].count - 1 > column else { r += 1; continue }
            var end = r
            while end < rows.upperBound && measured[end].count - 1 > column { end += 1 }
            var width = 0
            for i in r..<end { width = max(width, measured[i][column] + padding) }
            width = max(width, minWidth)
            if rememberWidths {
                if column < remembered.count { width = max(width, remembered[column]); remembered[column] = width }
                else { while remembered.count < column { remembered.append(0) }; remembered.append(width) }
            }
            for i in r..<end { widths[i][column] = width }
            measureColumn(measured, rows: r..<end, column: column + 1, into: &widths)
            r = end
        }
    }
}
