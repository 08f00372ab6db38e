import Foundation

/// Splits RFC 4180 text into records, remembering the line each record starts on.
///
/// The separator is `,` by default; `;` (what spreadsheets write where the decimal mark is a comma) is
/// read the same way (`separator(of:)` tells which a file uses). Accepts LF or CRLF line ends, `"`-quoted fields with `""` for a quote (quoted fields may hold commas
/// and line breaks), and a leading byte-order mark. Unquoted fields are trimmed of spaces and tabs;
/// quoted fields are kept exactly. Blank lines are skipped.
public struct CSVRecordReader {
    public struct Record: Equatable, Sendable {
        /// 1-based line on which the record starts.
        public let line: Int
        public let fields: [String]
    }

    /// The problem and the line where it was found.
    public struct Failure: Error, Equatable {
        public let line: Int
        public let message: String
    }

    /// The separator a file uses: `;` when its first non-blank line holds at least as many semicolons as
    /// commas outside quotes (and at least one), else `,`. A first line `sep=X` (Excel's hint) names it.
    public static func separator(of text: String) -> Unicode.Scalar {
        if let hint = separatorHint(text) { return hint.separator }
        var semicolons = 0, commas = 0, inQuotes = false, seenText = false
        for c in text.unicodeScalars {
            if c == "\"" { inQuotes.toggle() }
            if inQuotes { continue }
            if c == "\n" || c == "\r" {
                if seenText { break } else { continue }
            }
            if c != " ", c != "\t", c != "\u{FEFF}" { seenText = true }
            if c == ";" { semicolons += 1 }
            if c == "," { commas += 1 }
        }
        return semicolons > 0 && semicolons >= commas ? ";" : ","
    }

    /// Excel's first line `sep=;` (or `sep=,`): the separator it names and the text after that line.
    static func separatorHint(_ text: String) -> (separator: Unicode.Scalar, rest: Substring)? {
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        guard body.lowercased().hasPrefix("sep="), let mark = body.unicodeScalars.dropFirst(4).first,
              mark == "," || mark == ";" || mark == "\t" else { return nil }
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        guard firstLine.trimmingCharacters(in: .whitespaces).count == 5 else { return nil }
        return (mark, body.dropFirst(firstLine.count))
    }

    /// The records of `text` split at `separator`; throws `Failure` for an unclosed quote or a quote
    /// inside an unquoted field. An Excel `sep=` first line is skipped (line numbers still count it).
    public static func records(in text: String, separator: Unicode.Scalar = ",") throws -> [Record] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var skipHint = separatorHint(text) != nil
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false        // the current field started with a quote
        var inQuotes = false      // inside the quotes of a quoted field
        var line = 1
        var recordLine = 1
        var index = 0

        func endField() {
            var value = String(field)
            if !quoted { value = value.trimmingSpaces() }
            fields.append(value)
            field = String.UnicodeScalarView()
            quoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }

        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if inQuotes {
                if c == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            if skipHint {
                // The `sep=` line: dropped, its line break still counted.
                if c == "\n" || c == "\r" {
                    if c == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                    skipHint = false
                    line += 1
                    recordLine = line
                }
                continue
            }
            switch c {
            case separator:
                endField()
            case "\r" where index < scalars.count && scalars[index] == "\n":
                continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                if quoted {
                    throw Failure(line: line, message: "unexpected quote after a quoted field (write \"\" for a quote inside quotes)")
                }
                guard String(field).trimmingSpaces().isEmpty else {
                    throw Failure(line: line, message: "a quote inside an unquoted field (quote the whole field and write \"\")")
                }
                field = String.UnicodeScalarView()
                quoted = true
                inQuotes = true
            default:
                if quoted, c != " ", c != "\t" {
                    throw Failure(line: line, message: "unexpected text after a closing quote")
                }
                if !quoted { field.append(c) }
            }
        }
        if inQuotes { throw Failure(line: recordLine, message: "a quoted field is not closed") }
        if !(fields.isEmpty && field.isEmpty && !quoted) { endRecord() }
        return records
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
