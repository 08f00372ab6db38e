import Foundation
import SessionStore

/// The per-task report as CSV, with exactly the columns of the issue.
public enum ReportCSV {
    /// The header, in order.
    public static let columns = ["session", "task", "start_s", "end_s", "duration_s", "samples", "face_samples",
                                 "face_presence"] + Emotion.allCases.map(\.name)
        + ["dominant_emotion", "valence_mean", "valence_min", "valence_max", "engagement", "satisfaction"]

    /// Header and one record per row. Undefined values are empty cells, never zeros.
    public static func text(_ report: SessionReport) -> String {
        CSVWriter.record(columns) + report.rows.map { CSVWriter.record(fields($0)) }.joined()
    }

    /// True when `head` (the start of a file) begins with this report's header line: a file `report`
    /// wrote earlier, which may be replaced.
    public static func isReport(_ head: Data) -> Bool {
        let header = Data(CSVWriter.record(columns).utf8)
        let bom = Data([0xEF, 0xBB, 0xBF])
        let text = head.starts(with: bom) ? head.dropFirst(3) : head[...]
        return text.starts(with: header) || text.starts(with: header.dropLast(2) + Data("\n".utf8))
    }

    /// The cells of one row, in `columns` order.
    public static func fields(_ row: ReportRow) -> [String] {
        let time = { Formatting.number($0, decimals: Formatting.timeDecimals) }
        let fraction = { Formatting.optional($0, decimals: Formatting.fractionDecimals) }
        let score = { Formatting.optional($0, decimals: Formatting.scoreDecimals) }
        return [row.session, row.task, time(row.start), time(row.end), time(row.duration), String(row.samples),
                String(row.faceSamples), fraction(row.facePresence)]
            + Emotion.allCases.map { fraction(row.emotionMeans?[$0.rawValue]) }
            + [row.dominant?.name ?? "", fraction(row.valenceMean), fraction(row.valenceMin), fraction(row.valenceMax),
               score(row.engagement), score(row.satisfaction)]
    }
}
