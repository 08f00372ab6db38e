import SessionStore

/// The output formats of `emotelab timeline`.
public enum TimelineFormat: String, CaseIterable, Sendable {
    case table, csv, json

    /// The column names, in order.
    public static let columns = ["t", "face"] + Emotion.allCases.map(\.name) + ["dominant", "valence"]

    /// `rows` in this format; the text ends with a newline.
    public func render(_ rows: [TimelineRow]) -> String {
        switch self {
        case .csv:
            return CSVWriter.record(Self.columns) + rows.map { CSVWriter.record(Self.cells($0)) }.joined()
        case .table:
            return Self.table(rows)
        case .json:
            return Self.json(rows)
        }
    }

    /// The cells of a row; empty where there is no face.
    static func cells(_ row: TimelineRow) -> [String] {
        [Formatting.number(row.time, decimals: Formatting.timeDecimals), row.face ? "1" : "0"]
            + Emotion.allCases.map { Formatting.optional(row.probabilities?[$0.rawValue], decimals: Formatting.fractionDecimals) }
            + [row.dominant?.name ?? "", Formatting.optional(row.valence, decimals: Formatting.fractionDecimals)]
    }

    /// Right-aligned columns for a terminal; `-` where there is no face.
    static func table(_ rows: [TimelineRow]) -> String {
        let body = rows.map { cells($0).map { $0.isEmpty ? "-" : $0 } }
        var widths = columns.map(\.count)
        for cells in body { for (i, cell) in cells.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return line(columns) + body.map(line).joined()
    }

    /// An array of objects with the column names as keys; `null` where there is no face.
    static func json(_ rows: [TimelineRow]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row -> String in
            let values = cells(row)
            let members = columns.enumerated().map { i, key -> String in
                let value: String
                switch key {
                case "face": value = row.face ? "true" : "false"
                case "dominant": value = row.dominant.map { "\"\($0.name)\"" } ?? "null"
                default: value = values[i].isEmpty ? "null" : values[i]
                }
                return "\"\(key)\": \(value)"
            }
            return "  {" + members.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }
}
