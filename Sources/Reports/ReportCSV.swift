import Foundation
import SessionStore

/// The per-task report as CSV: the columns of the first report, then the 95 % intervals (`_low`/`_high`,
/// `BlockMeans`) of face presence, engagement, satisfaction and valence, the baseline in words (`none`,
/// `first 30 s`, `task 'Warm-up'`), and how much of the segment had others in view (`others_samples`: samples
/// with a face besides the participant's; `others_in_view`: their share of the samples); with a baseline the
/// emotion columns hold each emotion's change from it.
public enum ReportCSV {
    /// The header, in order.
    public static let columns = ["session", "task", "start_s", "end_s", "duration_s", "samples", "face_samples",
                                 "face_presence"] + Emotion.allCases.map(\.name)
        + ["dominant_emotion", "valence_mean", "valence_min", "valence_max", "engagement", "satisfaction"]
        + ["face_presence_low", "face_presence_high", "engagement_low", "engagement_high", "satisfaction_low",
           "satisfaction_high", "valence_low", "valence_high", "baseline"]
        + ["others_samples", "others_in_view"]

    /// Header and one record per row. Undefined values are empty cells, never zeros; names a spreadsheet
    /// would take for formulas are written as text (`CSVWriter`).
    public static func text(_ report: SessionReport) -> String {
        let baseline = report.baseline?.description ?? "none"
        return CSVWriter.record(columns) + report.rows.map { CSVWriter.record(fields($0, baseline: baseline)) }.joined()
    }

    /// The header of reports written before issue 20 (no intervals, no baseline column): such a report of
    /// the session is still replaced without `--overwrite`.
    static let legacyColumns = Array(columns.prefix(21))

    /// The header of reports written before the others-in-view columns (issue 19): still replaced without
    /// `--overwrite`.
    static let intervalColumns = Array(columns.prefix(30))

    /// True when `file` is exactly an earlier CSV report of the session whose recording is at
    /// `sessionPath` and ends at `end` seconds: the header, then rows whose `session` cell is that file's
    /// name (with or without parent folders), ending with one `(whole session)` row that ends at `end`.
    /// Anything else (another recording's report, several reports joined, a table of the user's that
    /// shares the header) is not.
    public static func isReport(_ file: Data, sessionPath: String, end: Double) -> Bool {
        guard let text = String(data: file, encoding: .utf8),
              let records = try? CSVRecordReader.records(in: text),
              let header = records.first, [columns, intervalColumns, legacyColumns].contains(header.fields),
              records.count >= 2 else { return false }
        let rows = records.dropFirst()
        guard rows.allSatisfy({ $0.fields.count == header.fields.count }), let name = rows.first.map({ SpreadsheetText.unguarded($0.fields[0]) }),
              rows.allSatisfy({ SpreadsheetText.unguarded($0.fields[0]) == name }) else { return false }
        let pathParts = sessionPath.split(separator: "/").map(String.init)
        let nameParts = name.split(separator: "/").map(String.init)
        guard !nameParts.isEmpty, Array(pathParts.suffix(nameParts.count)) == nameParts else { return false }
        let whole = rows.filter { $0.fields[1] == ReportRow.wholeSessionName }
        return whole.count == 1 && rows.last?.fields[1] == ReportRow.wholeSessionName
            && whole[0].fields[3] == Formatting.number(end, decimals: Formatting.timeDecimals)
    }

    /// The cells of one row, in `columns` order.
    public static func fields(_ row: ReportRow, baseline: String = "none") -> [String] {
        let time = { Formatting.number($0, decimals: Formatting.timeDecimals) }
        let fraction = { Formatting.optional($0, decimals: Formatting.fractionDecimals) }
        let score = { Formatting.optional($0, decimals: Formatting.scoreDecimals) }
        return [row.session, row.task, time(row.start), time(row.end), time(row.duration), String(row.samples),
                String(row.faceSamples), fraction(row.facePresence)]
            + Emotion.allCases.map { fraction((row.emotionChanges ?? row.emotionMeans)?[$0.rawValue]) }
            + [row.dominant?.name ?? "", fraction(row.valenceMean), fraction(row.valenceMin), fraction(row.valenceMax),
               score(row.engagement), score(row.satisfaction)]
            + [(row.presenceInterval, fraction), (row.engagementInterval, score), (row.satisfactionInterval, score),
               (row.valenceInterval, fraction)].flatMap { interval, format in
                   [format(interval?.lowerBound), format(interval?.upperBound)]
               } + [baseline, String(row.othersSamples), fraction(row.othersInView)]
    }
}
