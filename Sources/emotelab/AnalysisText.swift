import Analysis
import Foundation

/// The texts `analyze` prints: durations, per-file summaries, the closing total.
enum AnalysisText {
    /// `6.4 s` below a minute, else `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        seconds < 59.95 ? String(format: "%.1f s", seconds) : clock(seconds)
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(max(seconds, 0).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// `face_noface.mov: 6.4 s of video, 26 samples, face in 10 (38.5%), 1 face track; took 1.2 s (5.3× real time) → session 1`
    static func summary(_ summary: AnalysisSummary) -> String {
        let tracks = summary.trackCount == 1 ? "1 face track" : "\(summary.trackCount) face tracks"
        let samples = summary.samples == 1 ? "1 sample" : "\(summary.samples) samples"
        return "\(summary.file): \(duration(summary.duration)) of video, \(samples), "
            + String(format: "face in %d (%.1f%%), ", summary.faceSamples, 100 * summary.facePresence)
            + "\(tracks); took \(duration(summary.elapsed)) "
            + String(format: "(%.1f× real time)", summary.speed) + " → session \(summary.sessionID)"
    }

    /// The stage breakdown printed by `--timings`.
    static func timings(_ summary: AnalysisSummary) -> String {
        let t = summary.timings
        let rows: [(String, Double)] = [("hash", t.hash), ("setup", t.setup), (t.decoders == 1 ? "decode (own thread, CPU)" : "decode (\(t.decoders) threads, CPU)", t.decode),
                                        ("wait for frames", t.waitForFrames), ("detect + track + crop", t.detect),
                                        ("classify", t.classify), ("store", t.store)]
        let parts = t.segments > 1 ? ", \(t.segments) parts" : ""
        var lines = ["timings for \(summary.file) (\(t.decodedFrames) frames decoded\(parts), \(summary.samples) analysed):"]
        for (name, seconds) in rows + [("total", summary.elapsed)] {
            lines.append("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds))
        }
        return lines.joined(separator: "\n")
    }

    /// The closing line of a batch: files analysed and failed, video seconds, time, speed.
    static func total(analysed: [AnalysisSummary], failed: Int, interrupted: Int = 0, notStarted: Int = 0,
                      elapsed: Double) -> String {
        let video = analysed.reduce(0) { $0 + $1.duration }
        let planned = analysed.count + failed + interrupted + notStarted
        var line = "analysed \(analysed.count) of \(planned) files: \(duration(video)) of video in \(duration(elapsed))"
        if elapsed > 0, video > 0 { line += String(format: " (%.1f× real time)", video / elapsed) }
        if failed > 0 { line += "; \(failed) failed" }
        if interrupted > 0 { line += "; \(interrupted) stopped (run marked interrupted)" }
        if notStarted > 0 { line += "; \(notStarted) not started" }
        return line
    }
}
