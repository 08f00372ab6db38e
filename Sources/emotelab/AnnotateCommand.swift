import ArgumentParser
import Evidence
import FileNames
import Foundation
import SessionStore

/// `emotelab annotate`: a copy of a session's recording with the analysis drawn on every frame.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Write a copy of the recording with face boxes, the top emotion, a valence gauge and the task drawn on it.",
        discussion: """
            The participant's face is boxed in green with its top emotion and probability above it, other \
            faces in orange; the task name and a valence gauge (red −1 … green +1) are in the top-left \
            corner. Each frame shows the records of the nearest sample (held between samples, not \
            interpolated). Audio is copied; the video is encoded with libx264 when this FFmpeg has it, \
            else MPEG-4 Part 2. An existing --out file is replaced only when EmoteLab made it (or with \
            --overwrite); the database and the recording never. See docs/video-evidence.md.
            """)

    @Option(parsing: .unconditional, help: sessionHelp, transform: SessionSelector.parse)
    var session: SessionSelector

    @Option(help: ArgumentHelp("The annotated video: .mp4, .mov or .mkv (.mkv when the audio does not fit MP4).", valueName: "file"))
    var out: String

    @Option(name: .customLong("run"), parsing: .unconditional,
            help: ArgumentHelp("Draw this run of the session instead of its latest complete one.", valueName: "id"))
    var runID: Int64?

    @Flag(help: "Replace an existing --out file that EmoteLab did not make (never the database or the recording).")
    var overwrite = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            let target = try session.resolve(in: database)
            let run = try completeRun(of: target, in: database, id: runID)
            try RecordingCheck.verify(target)
            let recording = target.info.filePath
            let transcoder = try Transcoder(recording: recording)
            try EvidenceOutput.checkVideo(out, protected: EvidenceOutput.protected(store: store, sessions: [target]),
                                          overwrite: overwrite)
            let containers = ["mp4": "mp4", "m4v": "mp4", "mov": "mov", "mkv": "matroska"]
            let wanted = (out as NSString).pathExtension.lowercased()
            guard let container = containers[wanted] else {
                throw CommandFailure(description: "name --out with .mp4, .mov or .mkv (the container is chosen by the extension)")
            }
            if transcoder.fileExtension == "mkv" && container == "mp4" {
                throw CommandFailure(description: "the recording's audio does not fit an MP4 file: name --out with .mkv")
            }
            let track = AnnotationTrack(records: try database.samples(run: run.id), tasks: try database.tasks(session: target.id),
                                        sampleRate: run.settings.sampleRate)
            let painter = AnnotationPainter(sourceWidth: target.info.frameWidth, sourceHeight: target.info.frameHeight)
            let terminal = isatty(STDERR_FILENO) == 1
            let clock = Date()
            var lastShown = -1.0
            let result = try EvidenceOutput.writeVideo(to: out) { temporary in
                try transcoder.run(to: temporary, format: container, comment: EvidenceMark.comment(kind: "annotated video",
                                                                                contentHash: target.info.contentHash),
                                   draw: { canvas, time in painter.paint(track.annotation(at: time), on: canvas) },
                                   progress: { done, total in
                                       let elapsed = Date().timeIntervalSince(clock)
                                       guard terminal, elapsed - lastShown >= 0.5 else { return }
                                       lastShown = elapsed
                                       FileHandle.standardError.write(Data(("\r" + EvidenceOutput.progressLine(
                                           done: done, total: total, elapsed: elapsed)).utf8))
                                   })
            }
            let elapsed = Date().timeIntervalSince(clock)
            let played = result.end - result.start
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            FileHandle.standardError.write(Data((EvidenceOutput.progressLine(done: played, total: played, elapsed: elapsed) + "\n").utf8))
            print("wrote \(out) (\(result.frames) frames, \(result.width)x\(result.height), \(result.encoder.rawValue)"
                  + "\(result.audio ? ", audio copied" : ", no audio"); \(TimeValue.clock(played)) of video in "
                  + String(format: "%.1f s, %.1fx real time)", elapsed, elapsed > 0 ? played / elapsed : 0))
        }
    }
}
