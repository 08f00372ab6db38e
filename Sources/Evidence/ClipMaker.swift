import FileNames
import Foundation
import Reports
import SessionStore

/// How clips are cut.
public struct ClipSettings: Sendable, Equatable {
    /// Clip length in seconds around a negative or positive moment (`ClipPlanner.span`).
    public var length = 6.0
    /// Stream copy from the keyframe at or before the start (fast) instead of re-encoding (frame-accurate).
    public var fast = false
    /// Burn a caption (task, kind, emotion, score, time) into the picture; needs re-encoding.
    public var captions = false
    /// The encoder for re-encoded clips; nil: `VideoEncoderChoice.preferred`.
    public var encoder: VideoEncoderChoice?

    public init(length: Double = 6, fast: Bool = false, captions: Bool = false, encoder: VideoEncoderChoice? = nil) {
        self.length = length
        self.fast = fast
        self.captions = captions
        self.encoder = encoder
    }
}

/// Cuts one planned clip (`ClipRequest`) from a recording, by stream copy or re-encoding as the settings say.
public enum ClipMaker {
    /// The extension clips of the recording at `recording` get with `settings` (`mp4`, or `mkv` when
    /// the audio does not fit MP4).
    public static func fileExtension(recording: String, settings: ClipSettings) throws -> String {
        settings.fast ? try StreamCopyCutter.fileExtension(forRecordingAt: recording)
                      : try Transcoder(recording: recording, encoder: settings.encoder).fileExtension
    }

    /// The caption burned into a clip: `TASK | NEGATIVE 1 | SAD | VALENCE -0.62 | AT 1:23.250`.
    public static func caption(_ moment: Moment) -> String {
        let score = moment.kind == .stretch ? String(format: "P %.2f FOR %.1f S", moment.score, moment.duration)
                                            : String(format: "VALENCE %+.2f", moment.score)
        return [moment.taskName, "\(moment.kind.rawValue) \(moment.rank)", moment.emotion.name, score,
                "AT " + TimeValue.clock(moment.time)].joined(separator: " | ")
    }

    /// Cuts `request` from `recording` into `output` (a new file; see `EvidenceMark` for `contentHash`).
    public static func make(_ request: ClipRequest, recording: String, contentHash: String, to output: String,
                            settings: ClipSettings) throws -> ClipResult {
        let comment = EvidenceMark.comment(kind: "clip", contentHash: contentHash)
        if settings.fast {
            return try StreamCopyCutter.cut(recording: recording, start: request.start, end: request.end, to: output,
                                            comment: comment)
        }
        let transcoder = try Transcoder(recording: recording, encoder: settings.encoder)
        var draw: Transcoder.Draw?
        if settings.captions {
            let text = caption(request.moment)
            draw = { canvas, _ in
                let scale = AnnotationPainter.scale(forHeight: canvas.height)
                canvas.label(text, x: 0, y: canvas.height - (BitmapFont.lineHeight + 1) * scale, scale: scale)
            }
        }
        let result = try transcoder.run(start: request.start, end: request.end, to: output, comment: comment, draw: draw)
        return ClipResult(start: result.start, end: result.end, frames: result.frames)
    }
}
