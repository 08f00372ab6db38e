/// Plain aligned text tables for terminal output.
enum TextTable {
    /// Columns padded to their widest cell, two spaces apart; numbers right-aligned, the columns in
    /// `leftAligned` left-aligned. Line breaks and tabs in cells are shown as spaces.
    static func render(headers: [String], rows: [[String]], leftAligned: Set<Int>) -> String {
        let clean = ([headers] + rows).map { row in
            row.map { String($0.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }) }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in clean { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return clean.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return leftAligned.contains(i) ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
