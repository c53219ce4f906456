/// A table's cells in one byte buffer, row after row, with each column's widest cell counted as
/// the cells arrive. `kubectl get pods -A` at 150,000 pods made 150,000 arrays of Strings,
/// kept them all, measured them again and freed them; here a row costs a few byte copies and
/// the text is written from the buffer in one pass (`TabWriter.format(table:)`).
public struct CellTable {
    /// Cells per row.
    public let columns: Int
    /// Every cell's UTF-8, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each cell ends in `bytes` (row-major), and its width in runes (Go's
    /// utf8.RuneCountInString, what tabwriter pads by).
    private var ends: [UInt32] = []
    private var runes: [UInt32] = []
    /// Each column's widest cell, in runes.
    public private(set) var widths: [Int]

    public init(columns: Int, reservingRows rows: Int = 0) {
        self.columns = columns
        widths = Array(repeating: 0, count: columns)
        ends.reserveCapacity(rows * columns)
        runes.reserveCapacity(rows * columns)
        bytes.reserveCapacity(rows * columns * 8)
    }

    public var rowCount: Int { ends.count / max(columns, 1) }

    /// Appends the next cell; a row is complete after `columns` of them.
    public mutating func append(_ cell: String) {
        appendPiece(cell)
        endCell()
    }

    /// Part of the next cell (a cell made of pieces — `pod/NAME` — needs no String of its own);
    /// `endCell` closes it.
    public mutating func appendPiece(_ piece: String) {
        var count: UInt32 = 0
        let copied: Void? = piece.utf8.withContiguousStorageIfAvailable { utf8 in
            bytes.append(contentsOf: utf8)
            for b in utf8 where b & 0xC0 != 0x80 { count += 1 }
        }
        if copied == nil {
            for b in piece.utf8 { bytes.append(b); if b & 0xC0 != 0x80 { count += 1 } }
        }
        pendingRunes += count
    }

    public mutating func endCell() {
        let column = ends.count % columns
        ends.append(UInt32(bytes.count))
        runes.append(pendingRunes)
        if Int(pendingRunes) > widths[column] { widths[column] = Int(pendingRunes) }
        pendingRunes = 0
    }
    private var pendingRunes: UInt32 = 0

    public mutating func append(row: [String]) {
        for cell in row { append(cell) }
    }

    /// Cell `column` of row `row`: its bytes and width.
    public func cell(_ row: Int, _ column: Int) -> (bytes: Range<Int>, runes: Int) {
        let i = row * columns + column
        let start = i == 0 ? 0 : Int(ends[i - 1])
        return (start..<Int(ends[i]), Int(runes[i]))
    }

    /// Row `row` as Strings (the HTTP API's Table, tests).
    public func row(_ row: Int) -> [String] {
        (0..<columns).map { c in String(decoding: bytes[cell(row, c).bytes], as: UTF8.self) }
    }
}
