import Foundation
import SessionStore

/// A study report as two CSV tables: one row per participant × task, and one per task across participants.
public enum StudyCSV {
    /// The columns of the participant × task table.
    public static let rowColumns = ["participant", "session", "model", "run", "baseline", "task", "start_s", "end_s",
                                    "duration_s", "samples", "face_samples", "face_presence", "face_presence_low",
                                    "face_presence_high", "engagement", "engagement_low", "engagement_high",
                                    "satisfaction", "satisfaction_low", "satisfaction_high", "valence_mean",
                                    "valence_low", "valence_high", "dominant_emotion", "others_samples", "others_in_view"]

    /// The participant × task columns before `others_samples` and `others_in_view` (issue 19): such a table
    /// is still an earlier study table.
    static let earlierRowColumns = Array(rowColumns.prefix(24))

    /// The figures of the summary table, each with `_n`, `_mean`, `_sd`, `_low`, `_high` columns.
    static let summaryFigures = ["engagement", "satisfaction", "valence", "face_presence", "others_in_view"]

    /// The columns of the per-task summary table.
    public static let summaryColumns = ["task"] + summaryFigures.flatMap { figure in
        ["n", "mean", "sd", "low", "high"].map { "\(figure)_\($0)" }
    }

    /// The summary columns before `others_in_view_…` (issue 19): such a table is still an earlier one.
    static let earlierSummaryColumns = Array(summaryColumns.prefix(21))

    /// Header and one record per participant × task (participants in the given order, tasks in each
    /// participant's order, then the whole session).
    public static func rows(_ study: StudyReport) -> String {
        CSVWriter.record(rowColumns) + study.participants.flatMap { participant in
            participant.report.rows.map { CSVWriter.record(fields(participant, $0)) }
        }.joined()
    }

    /// Header and one record per task, then the whole session.
    public static func summary(_ study: StudyReport) -> String {
        CSVWriter.record(summaryColumns) + study.summaries.map { summary in
            let figures: [(MeanInterval?, Int)] = [(summary.engagement, Formatting.scoreDecimals),
                                                   (summary.satisfaction, Formatting.scoreDecimals),
                                                   (summary.valence, Formatting.fractionDecimals),
                                                   (summary.presence, Formatting.fractionDecimals),
                                                   (summary.othersInView, Formatting.fractionDecimals)]
            return CSVWriter.record([summary.task] + figures.flatMap { figure, decimals in
                [figure.map { String($0.n) } ?? "0", Formatting.optional(figure?.mean, decimals: decimals),
                 Formatting.optional(figure?.sd, decimals: decimals), Formatting.optional(figure?.low, decimals: decimals),
                 Formatting.optional(figure?.high, decimals: decimals)]
            })
        }.joined()
    }

    static func fields(_ participant: StudyParticipant, _ row: ReportRow) -> [String] {
        let time = { Formatting.number($0, decimals: Formatting.timeDecimals) }
        let fraction = { Formatting.optional($0, decimals: Formatting.fractionDecimals) }
        let score = { Formatting.optional($0, decimals: Formatting.scoreDecimals) }
        let report = participant.report
        return [participant.label, report.sessionName, participant.model, String(report.run.id), participant.baseline,
                row.task, time(row.start), time(row.end), time(row.duration), String(row.samples), String(row.faceSamples),
                fraction(row.facePresence), fraction(row.presenceInterval?.lowerBound), fraction(row.presenceInterval?.upperBound),
                score(row.engagement), score(row.engagementInterval?.lowerBound), score(row.engagementInterval?.upperBound),
                score(row.satisfaction), score(row.satisfactionInterval?.lowerBound),
                score(row.satisfactionInterval?.upperBound), fraction(row.valenceMean),
                fraction(row.valenceInterval?.lowerBound), fraction(row.valenceInterval?.upperBound), row.dominant?.name ?? "",
                String(row.othersSamples), fraction(row.othersInView)]
    }

    /// True when `file` is an earlier study table (either kind) EmoteLab wrote: its header is one of ours.
    public static func isStudyTable(_ file: Data) -> Bool {
        guard let text = String(data: file, encoding: .utf8),
              let records = try? CSVRecordReader.records(in: text), let header = records.first else { return false }
        return [rowColumns, summaryColumns, earlierRowColumns, earlierSummaryColumns].contains(header.fields)
    }
}
