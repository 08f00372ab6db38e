import Foundation
import Reports
import SessionStore

/// A small hand-made record set whose report values are worked out by hand in ReportFormulaTests.
///
/// Probabilities in Emotion order (angry, disgust, fear, happy, neutral, sad, surprise):
///
/// | t   | face | others | angry disgust fear happy neutral sad surprise | valence = happy − max(angry, disgust, fear, sad) |
/// |-----|------|--------|-----------------------------------------------|--------------------------------------------------|
/// | 0.0 | yes  | 0      | .10 .00 .00 .60 .20 .10 .00                   | .60 − .10 = .50                                  |
/// | 0.5 | yes  | 0      | .00 .00 .10 .20 .50 .20 .00                   | .20 − .20 = .00                                  |
/// | 1.0 | no   | 1      |                                               |                                                  |
/// | 1.5 | yes  | 1      | .40 .10 .00 .00 .30 .10 .10                   | .00 − .40 = −.40                                 |
/// | 2.0 | no   | 0      | (2.0 – 3.5: no face)                          |                                                  |
/// | 2.5 | no   | 2      |                                               |                                                  |
/// | 3.0 | no   | 0      |                                               |                                                  |
/// | 3.5 | no   | 0      |                                               |                                                  |
/// | 4.0 | yes  | 0      | .00 .00 .00 .90 .10 .00 .00                   | .90 − 0 = .90                                    |
/// | 4.5 | no   | 0      |                                               |                                                  |
///
/// `others`: faces found besides the participant's (a moderator leaning in at 1.0–1.5, two people at 2.5).
/// At 2 samples/s they make one stretch with others in view, 1.0–3.0 s: the single sample at 2.0 without
/// another face is bridged, and the stretch ends one interval (0.5 s) after its last sample with others.
///
/// Tasks: A [0, 2), B [2, 4) (no face), C [4, 5), D [5, 6) (no samples). The video lasts 6 s.
enum HandMadeSession {
    static func scores(_ p: [Double]) -> EmotionScores { EmotionScores(p)! }

    static let timeline: [TimelineSample] = [
        TimelineSample(time: 0.0, scores: scores([0.10, 0.00, 0.00, 0.60, 0.20, 0.10, 0.00])),
        TimelineSample(time: 0.5, scores: scores([0.00, 0.00, 0.10, 0.20, 0.50, 0.20, 0.00])),
        TimelineSample(time: 1.0, scores: nil, others: 1),
        TimelineSample(time: 1.5, scores: scores([0.40, 0.10, 0.00, 0.00, 0.30, 0.10, 0.10]), others: 1),
        TimelineSample(time: 2.0, scores: nil),
        TimelineSample(time: 2.5, scores: nil, others: 2),
        TimelineSample(time: 3.0, scores: nil),
        TimelineSample(time: 3.5, scores: nil),
        TimelineSample(time: 4.0, scores: scores([0.00, 0.00, 0.00, 0.90, 0.10, 0.00, 0.00])),
        TimelineSample(time: 4.5, scores: nil),
    ]

    static let tasks = [
        TaskSegment(name: "A", start: 0, end: 2),
        TaskSegment(name: "B", start: 2, end: 4),
        TaskSegment(name: "C", start: 4, end: 5),
        TaskSegment(name: "D", start: 5, end: 6),
    ]

    static func session(fileName: String = "/recordings/p01.mp4") -> Session {
        Session(id: 1, info: SessionInfo(filePath: fileName, contentHash: "abc123", duration: 6, frameWidth: 640,
                                         frameHeight: 360, recordedFPS: 30),
                createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    static let run = Run(id: 7, sessionID: 1,
                         settings: RunSettings(modelName: "default", modelHash: "f00d", sampleRate: 2, detector: "haar"),
                         status: .complete, message: nil, participantTrack: 1,
                         startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                         finishedAt: Date(timeIntervalSince1970: 1_800_000_060))

    static func report(baseline: Double? = nil, tasks: [TaskSegment] = tasks,
                       fileName: String = "/recordings/p01.mp4") throws -> SessionReport {
        try SessionReport(session: session(fileName: fileName), run: run, timeline: timeline, tasks: tasks,
                          baselineSeconds: baseline)
    }
}
