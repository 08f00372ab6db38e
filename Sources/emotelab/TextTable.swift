import Reports

/// Plain aligned text tables for terminal output.
enum TextTable {
    /// Columns padded to their widest cell, two spaces apart; numbers right-aligned, the columns in
    /// `leftAligned` left-aligned. Line breaks and tabs in cells are shown as spaces, other control
    /// characters (terminal escape sequences) escaped (`TerminalText`). Widths are terminal
    /// columns: East Asian wide and full-width characters (CJK, Hangul, kana, most emoji) take two.
    static func render(headers: [String], rows: [[String]], leftAligned: Set<Int>) -> String {
        let clean = ([headers] + rows).map { row in
            row.map { TerminalText.escaped(String($0.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })) }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in clean { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], columns(cell)) } }
        return clean.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - columns(cell))
                return leftAligned.contains(i) ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

extension TextTable {
    /// Terminal columns `text` takes: 2 for a character whose first scalar is East Asian wide or
    /// full-width (or an emoji shown as one), 0 for a lone combining mark, else 1.
    static func columns(_ text: String) -> Int {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first else { return total }
            if scalar.properties.generalCategory == .nonspacingMark { return total }
            return total + (EastAsianWidth.isWide(scalar) || scalar.properties.isEmojiPresentation ? 2 : 1)
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
