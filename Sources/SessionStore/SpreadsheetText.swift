/// Keeps text cells of CSV files from being run as formulas when a spreadsheet opens them (OWASP's "CSV
/// injection" rule): a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// `'`, which Excel and LibreOffice take as "this is text", and is quoted by the CSV writer.
///
/// Plain decimal numbers (`-0.1234`, `12`) are left alone: they cannot be formulas, and the report's
/// numeric columns must stay numbers. A text that already begins with `'` before such a character gets
/// one more `'`, so that `unguarded` undoes `guarded` exactly and a tasks file written by `tasks list
/// --format csv` reads back to the same names.
public enum SpreadsheetText {
    /// The characters that make a spreadsheet read a cell as a formula (or, for tab and CR, that
    /// spreadsheets strip before doing so).
    public static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// True when `text` is written with a leading `'`.
    public static func needsGuard(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        // `'` in front of a guarded text is itself guarded, so that reading back is unambiguous.
        while scalars.first == "'" { scalars = scalars.dropFirst() }
        guard let first = scalars.first, formulaStarts.contains(first) else { return false }
        return !isPlainNumber(String(scalars))
    }

    /// `text` as it is written into a CSV cell: with a leading `'` when `needsGuard`.
    public static func guarded(_ text: String) -> String {
        needsGuard(text) ? "'" + text : text
    }

    /// The text of a cell read from a CSV file: a leading `'` that `guarded` added is removed.
    public static func unguarded(_ cell: String) -> String {
        guard cell.unicodeScalars.first == "'" else { return cell }
        let rest = String(cell.unicodeScalars.dropFirst())
        return needsGuard(rest) ? rest : cell
    }

    /// `-12`, `0.5`, `-0.1234`: an optional minus, digits, and optionally a point and digits.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { ("0"..."9").contains($0) } }
    }
}
