import CFFmpeg
import Foundation

/// Small helpers over FFmpeg's C API that several VideoIO types share.
enum FFmpeg {
    static let eagain = emotelab_averror_eagain()
    static let eof = emotelab_averror_eof()
    static let invalidData = emotelab_averror_invaliddata()
    static let streamNotFound = emotelab_averror_stream_not_found()
    static let decoderNotFound = emotelab_averror_decoder_not_found()
    static let noPTS = emotelab_av_nopts_value()

    /// FFmpeg's text for an `AVERROR` code, e.g. "Invalid data found when processing input".
    static func errorString(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "error \(code)" }
        return String(cString: buffer)
    }

    /// Silences FFmpeg's own logging once per process: VideoIO reports problems as `VideoIOError`s and
    /// warnings, so libav's stderr chatter would only duplicate them. `EMOTELAB_FFMPEG_LOG=1` keeps it.
    static let configureLogging: Void = {
        if ProcessInfo.processInfo.environment["EMOTELAB_FFMPEG_LOG"] == nil { av_log_set_level(AV_LOG_QUIET) }
    }()

    /// A rational as a `Double`, or nil when it is unset (0/x or x/0).
    static func double(_ rational: AVRational) -> Double? {
        rational.den == 0 || rational.num == 0 ? nil : Double(rational.num) / Double(rational.den)
    }

    /// `ticks` of `timeBase` in seconds after `origin` (ticks of the same time base). Every timestamp VideoIO
    /// compares goes through this one formula, so a packet's time and its frame's time are bit-equal.
    static func seconds(_ ticks: Int64, _ timeBase: AVRational, origin: Int64 = 0) -> Double {
        let (difference, overflow) = ticks.subtractingReportingOverflow(origin)
        let elapsed = overflow ? Double(ticks) - Double(origin) : Double(difference)
        return elapsed * Double(timeBase.num) / Double(timeBase.den)
    }

    /// A C string, or `fallback` for NULL.
    static func string(_ pointer: UnsafePointer<CChar>?, fallback: String = "unknown") -> String {
        pointer.map { String(cString: $0) } ?? fallback
    }
}
