import CFFmpeg
import FileNames
import Foundation

/// A chapter mark stored inside a recording (MP4 and MOV chapter tracks, Matroska chapters, as FFmpeg
/// reads them).
public struct MediaChapter: Sendable, Equatable {
    /// The chapter's title, or nil when it has none.
    public let title: String?
    /// Seconds from the start of the recording.
    public let start: Double
    public let end: Double

    public init(title: String?, start: Double, end: Double) {
        self.title = title
        self.start = start
        self.end = end
    }
}

/// Reads the chapters of a recording.
public enum MediaChapters {
    /// The chapters of the file at `url`, in time order, with times from the start of the recording
    /// (the container's start time subtracted). Chapters that end at or before they start are dropped.
    /// - Throws: `VideoIOError` when the file cannot be opened as media.
    public static func read(url: URL) throws -> [MediaChapter] {
        FFmpeg.configureLogging
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = RawFileName.withCString("file:" + url.path) { avformat_open_input(&context, $0, nil, nil) }
        guard status >= 0, let format = context else {
            throw VideoIOError.ffmpeg(path: RawFileName.displayed(url.relativePath), operation: "opening the file",
                                      reason: FFmpeg.errorString(status))
        }
        defer { avformat_close_input(&context) }
        let origin = format.pointee.start_time == FFmpeg.noPTS ? 0 : Double(format.pointee.start_time) / Double(AV_TIME_BASE)
        var chapters: [MediaChapter] = []
        for index in 0..<Int(format.pointee.nb_chapters) {
            guard let chapter = format.pointee.chapters[index] else { continue }
            let base = chapter.pointee.time_base
            let start = max(0, FFmpeg.seconds(chapter.pointee.start, base) - origin)
            let end = FFmpeg.seconds(chapter.pointee.end, base) - origin
            guard start.isFinite, end.isFinite, end > start else { continue }
            let title = av_dict_get(chapter.pointee.metadata, "title", nil, 0)?.pointee.value.map { String(cString: $0) }
            chapters.append(MediaChapter(title: title?.isEmpty == false ? title : nil, start: start, end: end))
        }
        return chapters.sorted { $0.start < $1.start }
    }
}
