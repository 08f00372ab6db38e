import Analysis
import ArgumentParser
import Foundation
import VideoIO

/// `emotelab probe FILE`: what a recording holds and how EmoteLab decodes it, before any analysis.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check a recording: container, video stream, codec, size, rotation, duration, frame rate "
            + "and the number of frames that decode.",
        discussion: """
            Decodes the whole video once. With --fps R it also lists the timestamps EmoteLab samples at R \
            frames per second: the first frame at or after each point t0 + k/R, where t0 is the first \
            frame's time (a frame is listed at most once).
            Exit status: 0 when the file is fine, 1 when it cannot be read, 2 when it was read but is \
            truncated or damaged (the report covers the frames before the problem; warnings go to stderr).
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "The video file (any container and codec FFmpeg reads).")
    var file: String

    @Option(help: ArgumentHelp("Also list the timestamps sampled at this many frames per second.", valueName: "R"))
    var fps: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Read this stream, by its index in the container (default: the video stream FFmpeg ranks best; the others are listed).", valueName: "n"))
    var videoStream: Int?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if let fps, !AnalysisConfiguration.sampleRates.contains(fps) {
            throw ValidationError("--fps must be a number of frames per second from 0.000278 (one an hour) to 1000, got \(fps)")
        }
        if let videoStream, videoStream < 0 {
            throw ValidationError("--video-stream must be a stream index, 0 or more, got \(videoStream)")
        }
    }

    func run() throws {
        try reportingFailures {
            let report = try ProbeReport(url: URL(fileURLWithPath: file), sampleRate: fps, videoStream: videoStream)
            print(format == .json ? try report.json() : report.table())
            for warning in report.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            if !report.warnings.isEmpty { throw ExitCode(2) }
        }
    }
}
