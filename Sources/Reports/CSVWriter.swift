import SessionStore

/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF, and a field quoted (with
/// `""` for a quote) when it holds a comma, quote, CR or LF, or starts or ends with a space.
///
/// A field a spreadsheet would take for a formula (one that begins with `=`, `+`, `-`, `@`, a tab or a
/// CR and is not a plain number) is written as text: with a leading `'`, quoted (`SpreadsheetText`).
public enum CSVWriter {
    /// One field, guarded against formulas and quoted when needed.
    public static func field(_ value: String) -> String {
        let guarded = SpreadsheetText.needsGuard(value)
        let text = guarded ? "'" + value : value
        let needsQuotes = guarded
            || text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF included.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
