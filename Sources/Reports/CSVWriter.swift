/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF, and a field quoted (with
/// `""` for a quote) when it holds a comma, quote, CR or LF, or starts or ends with a space.
public enum CSVWriter {
    /// One field, quoted when needed.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || value.hasPrefix(" ") || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF included.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
