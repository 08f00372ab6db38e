import CFFmpeg
import FileNames
import Foundation

/// A recording opened for cutting or annotating: its demuxer, its best video stream and (when it has
/// one) its best audio stream. Times are seconds from the container's start, as VideoIO and so the
/// stored records count them.
final class SourceMedia {
    let displayPath: String
    let format: UnsafeMutablePointer<AVFormatContext>
    let video: UnsafeMutablePointer<AVStream>
    let audio: UnsafeMutablePointer<AVStream>?
    /// The container's start time in seconds (0 when unknown).
    let origin: Double

    init(path: String) throws {
        _ = AV.quiet
        displayPath = RawFileName.displayed(path)
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = RawFileName.withCString("file:" + path) { avformat_open_input(&context, $0, nil, nil) }
        guard status >= 0, let context else {
            throw EvidenceError.media(path: displayPath, operation: "opening the recording", reason: AV.message(status))
        }
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        let info = avformat_find_stream_info(context, nil)
        let videoIndex = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard info >= 0, videoIndex >= 0, let video = context.pointee.streams[Int(videoIndex)] else {
            avformat_close_input(&owned)
            throw EvidenceError.media(path: displayPath, operation: "finding the video stream",
                                      reason: AV.message(info < 0 ? info : videoIndex))
        }
        let audioIndex = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, videoIndex, nil, 0)
        format = context
        self.video = video
        audio = audioIndex >= 0 ? context.pointee.streams[Int(audioIndex)] : nil
        let start = context.pointee.start_time
        origin = start == AV.noPTS ? 0 : Double(start) / Double(AV_TIME_BASE)
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = format
        avformat_close_input(&context)
    }

    /// `ticks` of `stream` in seconds from the recording's start.
    func seconds(_ ticks: Int64, of stream: UnsafeMutablePointer<AVStream>) -> Double {
        Double(ticks) * AV.double(stream.pointee.time_base) - origin
    }

    /// `seconds` from the recording's start in ticks of `stream` (rounded down).
    func ticks(_ seconds: Double, of stream: UnsafeMutablePointer<AVStream>) -> Int64 {
        Int64(((seconds + origin) / AV.double(stream.pointee.time_base)).rounded(.down))
    }

    /// The recording's length in seconds, when the container says.
    var duration: Double? {
        let d = format.pointee.duration
        return d == AV.noPTS || d <= 0 ? nil : Double(d) / Double(AV_TIME_BASE)
    }

    /// The video stream's display matrix, if it has one.
    var displayMatrix: [Int32]? {
        var size = 0
        guard let data = av_stream_get_side_data(video, AV_PKT_DATA_DISPLAYMATRIX, &size),
              size >= 9 * MemoryLayout<Int32>.size else { return nil }
        return data.withMemoryRebound(to: Int32.self, capacity: 9) { Array(UnsafeBufferPointer(start: $0, count: 9)) }
    }

    /// The clockwise rotation players apply (degrees, 0 when none).
    var rotation: Int {
        guard let matrix = displayMatrix else { return 0 }
        let angle = matrix.withUnsafeBufferPointer { av_display_rotation_get($0.baseAddress) }
        guard angle.isFinite else { return 0 }
        let degrees = Int((-angle).rounded()) % 360
        return degrees < 0 ? degrees + 360 : degrees
    }

    /// Whether the display matrix also mirrors the picture (a negative determinant).
    var isMirrored: Bool {
        guard let m = displayMatrix else { return false }
        return Double(m[0]) * Double(m[4]) - Double(m[1]) * Double(m[3]) < 0
    }

    /// Seeks every stream to the video keyframe at or before `seconds`.
    func seek(to seconds: Double) throws {
        guard seconds > 0 else {
            let status = av_seek_frame(format, video.pointee.index, ticks(0, of: video), AVSEEK_FLAG_BACKWARD)
            if status < 0 { _ = avformat_seek_file(format, -1, Int64.min, 0, 0, 0) }
            return
        }
        let status = av_seek_frame(format, video.pointee.index, ticks(seconds, of: video), AVSEEK_FLAG_BACKWARD)
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "seeking to \(seconds) s", reason: AV.message(status))
        }
    }
}
