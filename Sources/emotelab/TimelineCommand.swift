import ArgumentParser
import Foundation
import Reports
import SessionStore

/// `emotelab timeline`: the participant's emotion timeline of a session.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Print a session's emotion timeline: one row per sample.",
        discussion: """
            Columns: t (seconds), face (1 when the participant's face was seen), the seven emotion \
            probabilities, the dominant emotion, valence = happy − max(angry, disgust, fear, sad), faces \
            (every face found at that moment, the participant's included) and others (faces that are not \
            the participant's: a moderator, an observer, a bystander). Samples without the participant's \
            face have empty emotion cells (- in the table, null in JSON). Reads the session's latest \
            complete analysis. --smooth S replaces each face sample's emotion values by their mean over the \
            face samples within ±S/2 seconds (a centred moving average; samples without a face take no \
            part); faces and others are counts and are never smoothed. --others lists instead the \
            stretches in which others were in view: start_s, end_s, duration_s, samples, max_others (a \
            single sample without another face inside a stretch does not split it).
            """)

    @Option(parsing: .unconditional, help: sessionHelp, transform: SessionSelector.parse)
    var session: SessionSelector

    @Option(parsing: .unconditional, help: ArgumentHelp("First time to show: seconds or [hh:]mm:ss[.fff].", valueName: "t"),
            transform: TimeArgument.parse)
    var from: TimeArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Last time to show: seconds or [hh:]mm:ss[.fff].", valueName: "t"),
            transform: TimeArgument.parse)
    var to: TimeArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Moving-average window in seconds.", valueName: "seconds"))
    var smooth: Double?

    @Option(name: .customLong("run"), parsing: .unconditional, help: ArgumentHelp("Read this run of the session instead of its latest complete one (`emotelab sessions --runs` lists them), e.g. to compare models.", valueName: "id"))
    var runID: Int64?

    @Flag(help: ArgumentHelp("List the stretches in which faces other than the participant's were in view (a moderator, "
                             + "a bystander) instead of the samples."))
    var others = false

    @Option(help: "Output format: table, csv or json.")
    var format: TimelineFormat = .table

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let smooth, !(smooth.isFinite && smooth > 0) {
            throw ValidationError("--smooth must be a positive number of seconds, got \(smooth)")
        }
        if others, smooth != nil {
            throw ValidationError("--smooth applies to the emotion values of the samples, not to --others stretches")
        }
        if let from, let to, to.seconds < from.seconds {
            throw ValidationError("--to (\(to.seconds) s) is before --from (\(from.seconds) s)")
        }
    }

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            let target = try session.resolve(in: database)
            let run = try completeRun(of: target, in: database, id: runID)
            if others {
                let samples = try database.timeline(run: run.id).filter {
                    TimelineSmoother.isShown($0.time, from: from?.seconds, to: to?.seconds)
                }
                let stretches = OthersInView.stretches(samples, sampleRate: run.settings.sampleRate)
                print(format.render(stretches: stretches), terminator: "")
                if samples.isEmpty {
                    FileHandle.standardError.write(Data("note: no samples in the requested time range\n".utf8))
                } else if stretches.isEmpty {
                    FileHandle.standardError.write(Data("note: no face other than the participant's was found\(from == nil && to == nil ? "" : " in the requested time range")\n".utf8))
                }
                return
            }
            // The whole timeline is read so that smoothing near the cut uses the samples beyond it.
            let rows = TimelineSmoother.rows(try database.timeline(run: run.id), window: smooth,
                                             from: from?.seconds, to: to?.seconds)
            print(format.render(rows), terminator: "")
            if rows.isEmpty {
                FileHandle.standardError.write(Data("note: no samples in the requested time range\n".utf8))
            }
        }
    }
}

extension TimelineFormat: ExpressibleByArgument {}
