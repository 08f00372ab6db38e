import ArgumentParser
import Foundation
import Reports
import SessionStore

/// `emotelab report`: the per-task report of a session as CSV and/or a self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report engagement, satisfaction and emotions per task of a session.",
        discussion: """
            One row per task and a whole-session row. Emotion columns are mean probabilities over the \
            samples with the participant's face; valence = happy − max(angry, disgust, fear, sad) per \
            sample; engagement = 100 × mean over all samples of (face ? 1 − neutral : 0); satisfaction = \
            50 × (1 + mean valence). Empty cells mean the task has no face samples. These are \
            facial-expression proxies, not validated measures of satisfaction. Without --csv or --html \
            the CSV goes to standard output.
            """)

    @Option(help: sessionHelp)
    var session: SessionSelector

    @Option(help: ArgumentHelp("Write the CSV report here.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the HTML report here (one self-contained file).", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Subtract the participant's mean valence over the first SECONDS of the session.",
                               valueName: "seconds"))
    var baseline: Double?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let baseline, !(baseline.isFinite && baseline > 0) {
            throw ValidationError("--baseline must be a positive number of seconds, got \(baseline)")
        }
    }

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            let target = try session.resolve(in: database)
            let run = try completeRun(of: target, in: database)
            let report = try SessionReport(session: target, run: run, timeline: try database.timeline(run: run.id),
                                           tasks: try database.tasks(session: target.id), baselineSeconds: baseline)
            let csvText = ReportCSV.text(report)
            guard csv != nil || html != nil else {
                print(csvText, terminator: "")
                return
            }
            if let csv {
                try writeOutput(csvText, to: csv)
                print("wrote \(csv) (\(report.tasks.count) task\(report.tasks.count == 1 ? "" : "s") + whole session)")
            }
            if let html {
                let version = EmoteLab.configuration.version
                try writeOutput(HTMLReport.page(report, generator: "EmoteLab \(version)"), to: html)
                print("wrote \(html)")
            }
        }
    }
}
