/// Plain aligned text tables for terminal output.
enum TextTable {
    /// Columns padded to their widest cell, two spaces apart; numbers right-aligned, the columns in
    /// `leftAligned` left-aligned. Line breaks and tabs in cells are shown as spaces. Widths are terminal
    /// columns: East Asian wide and full-width characters (CJK, Hangul, kana, most emoji) take two.
    static func render(headers: [String], rows: [[String]], leftAligned: Set<Int>) -> String {
        let clean = ([headers] + rows).map { row in
            row.map { String($0.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }) }
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
            return total + (isWide(scalar) || (character.unicodeScalars.count > 1 && scalar.properties.isEmojiPresentation) ? 2 : 1)
        }
    }

    /// Wide and full-width ranges of Unicode's East Asian Width property (UAX #11), plus emoji presentation.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if scalar.properties.isEmojiPresentation { return true }
        return (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
