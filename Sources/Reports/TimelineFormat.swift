import SessionStore

/// The output formats of `emotelab timeline`.
public enum TimelineFormat: String, CaseIterable, Sendable {
    case table, csv, json

    /// The column names, in order. `faces` (every face found at the sample, the participant's included)
    /// and `others` (those that are not the participant's) come last, so scripts that read the earlier
    /// columns by position keep working.
    public static let columns = ["t", "face"] + Emotion.allCases.map(\.name) + ["dominant", "valence", "faces", "others"]

    /// `rows` in this format; the text ends with a newline.
    public func render(_ rows: [TimelineRow]) -> String {
        let records = rows.map { row -> [(text: String, json: String)] in
            let values = Self.cells(row)
            return Self.columns.enumerated().map { i, key -> (text: String, json: String) in
                switch key {
                case "face": (values[i], row.face ? "true" : "false")
                case "dominant": (values[i], row.dominant.map { "\"\($0.name)\"" } ?? "null")
                default: (values[i], values[i].isEmpty ? "null" : values[i])
                }
            }
        }
        return render(columns: Self.columns, records: records)
    }

    /// The columns of `timeline --others`, in order: when a stretch with others in view starts and ends
    /// and how long it lasts (seconds), its samples, and the most other faces at one of them.
    public static let stretchColumns = ["start_s", "end_s", "duration_s", "samples", "max_others"]

    /// The stretches with others in view (`OthersInView`) in this format; the text ends with a newline.
    public func render(stretches: [OthersStretch]) -> String {
        let records = stretches.map { stretch -> [(text: String, json: String)] in
            let cells: [String] = [Formatting.number(stretch.start, decimals: Formatting.timeDecimals),
                                   Formatting.number(stretch.end, decimals: Formatting.timeDecimals),
                                   Formatting.number(stretch.duration, decimals: Formatting.timeDecimals),
                                   String(stretch.samples), String(stretch.maxOthers)]
            return cells.map { (text: $0, json: $0) }
        }
        return render(columns: Self.stretchColumns, records: records)
    }

    /// Records as CSV, a table or JSON: each cell as text (CSV, table) and as a JSON value.
    private func render(columns: [String], records: [[(text: String, json: String)]]) -> String {
        switch self {
        case .csv:
            return CSVWriter.record(columns) + records.map { CSVWriter.record($0.map(\.text)) }.joined()
        case .table:
            return Self.table(columns: columns, body: records.map { $0.map(\.text) })
        case .json:
            return Self.json(columns: columns, values: records.map { $0.map(\.json) })
        }
    }

    /// The cells of a row; empty where there is no face.
    static func cells(_ row: TimelineRow) -> [String] {
        [Formatting.number(row.time, decimals: Formatting.timeDecimals), row.face ? "1" : "0"]
            + Emotion.allCases.map { Formatting.optional(row.probabilities?[$0.rawValue], decimals: Formatting.fractionDecimals) }
            + [row.dominant?.name ?? "", Formatting.optional(row.valence, decimals: Formatting.fractionDecimals),
               String(row.faces), String(row.others)]
    }

    /// Right-aligned columns for a terminal; `-` where there is no face.
    static func table(columns: [String], body: [[String]]) -> String {
        let body = body.map { cells in cells.map { $0.isEmpty ? "-" : $0 } }
        var widths = columns.map(\.count)
        for cells in body { for (i, cell) in cells.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return line(columns) + body.map(line).joined()
    }

    /// An array of objects with the column names as keys (`values` are JSON already: `null` where there
    /// is no face; the counts are always numbers).
    static func json(columns: [String], values: [[String]]) -> String {
        guard !values.isEmpty else { return "[]\n" }
        let objects = values.map { record -> String in
            "  {" + zip(columns, record).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }
}
