/// Unicode's East Asian Width property (UAX #11), as far as text layout here needs it: which characters
/// take two columns in a terminal, or about one em in a proportional font (CJK, Hangul, kana, full-width
/// forms). Used by the chart's label widths and by the CLI's aligned tables.
public enum EastAsianWidth {
    /// True for a scalar in the Wide or Fullwidth ranges.
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}
