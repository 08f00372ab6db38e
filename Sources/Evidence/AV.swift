import CFFmpeg
import Foundation

/// Small helpers over FFmpeg's C API for the Evidence module.
enum AV {
    static let eagain = emotelab_averror_eagain()
    static let eof = emotelab_averror_eof()
    static let noPTS = emotelab_av_nopts_value()

    /// FFmpeg's text for an `AVERROR` code.
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "error \(code)" }
        return String(cString: buffer)
    }

    /// A rational as a Double (0 when unset).
    static func double(_ rational: AVRational) -> Double {
        rational.den == 0 ? 0 : Double(rational.num) / Double(rational.den)
    }

    /// Silences FFmpeg's logging once (`EMOTELAB_FFMPEG_LOG=1` keeps it), as VideoIO does.
    static let quiet: Void = {
        if getenv("EMOTELAB_FFMPEG_LOG") == nil { av_log_set_level(AV_LOG_QUIET) }
    }()
}
