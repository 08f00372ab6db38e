import CFFmpeg
import FileNames
import Foundation

/// A file being written by FFmpeg's muxer. EmoteLab's files carry a mark in their `comment` tag
/// (`EvidenceMark`) so that a later run knows it may replace them.
final class MediaOutput {
    let displayPath: String
    let context: UnsafeMutablePointer<AVFormatContext>
    private var opened = false
    private var finished = false

    /// The container for streams of these codecs: MP4 when it can hold them all, else Matroska.
    static func container(for codecs: [AVCodecID]) -> (format: String, fileExtension: String) {
        guard let mp4 = av_guess_format("mp4", nil, nil) else { return ("matroska", "mkv") }
        return codecs.allSatisfy({ avformat_query_codec(mp4, $0, FF_COMPLIANCE_NORMAL) == 1 }) ? ("mp4", "mp4") : ("matroska", "mkv")
    }

    init(path: String, format: String, comment: String) throws {
        displayPath = RawFileName.displayed(path)
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = RawFileName.withCString("file:" + path) { avformat_alloc_output_context2(&context, nil, format, $0) }
        guard status >= 0, let context else {
            throw EvidenceError.media(path: displayPath, operation: "preparing the \(format) file", reason: AV.message(status))
        }
        self.context = context
        av_dict_set(&context.pointee.metadata, "comment", comment, 0)
    }

    deinit {
        if opened && !finished { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// A new stream copying `source`'s codec parameters (and its display matrix).
    func addCopy(of source: UnsafeMutablePointer<AVStream>) throws -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else {
            throw EvidenceError.media(path: displayPath, operation: "adding a stream", reason: "out of memory")
        }
        let status = avcodec_parameters_copy(stream.pointee.codecpar, source.pointee.codecpar)
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "copying stream parameters", reason: AV.message(status))
        }
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = source.pointee.time_base
        stream.pointee.disposition = source.pointee.disposition
        copyDisplayMatrix(from: source, to: stream)
        return stream
    }

    /// A new stream for an encoder's output.
    func addStream(encoder: UnsafeMutablePointer<AVCodecContext>) throws -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else {
            throw EvidenceError.media(path: displayPath, operation: "adding a stream", reason: "out of memory")
        }
        let status = avcodec_parameters_from_context(stream.pointee.codecpar, encoder)
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "setting up the video stream", reason: AV.message(status))
        }
        stream.pointee.time_base = encoder.pointee.time_base
        return stream
    }

    /// Whether the format wants codec headers out of band (encoders then need `AV_CODEC_FLAG_GLOBAL_HEADER`).
    var wantsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    func copyDisplayMatrix(from source: UnsafeMutablePointer<AVStream>, to stream: UnsafeMutablePointer<AVStream>) {
        var size = 0
        guard let data = av_stream_get_side_data(source, AV_PKT_DATA_DISPLAYMATRIX, &size), size > 0,
              let copy = av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, size) else { return }
        copy.update(from: data, count: size)
    }

    /// Opens the file and writes the container header.
    func open() throws {
        let status = avio_open(&context.pointee.pb, context.pointee.url, AVIO_FLAG_WRITE)
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "creating the file", reason: AV.message(status))
        }
        opened = true
        let header = avformat_write_header(context, nil)
        guard header >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "writing the file header", reason: AV.message(header))
        }
    }

    /// Writes `packet` (timestamps already in `stream`'s time base), interleaving streams.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws {
        let status = av_interleaved_write_frame(context, packet)
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "writing", reason: AV.message(status))
        }
    }

    /// Writes the trailer and closes the file.
    func finish() throws {
        let status = av_write_trailer(context)
        avio_closep(&context.pointee.pb)
        finished = true
        guard status >= 0 else {
            throw EvidenceError.media(path: displayPath, operation: "finishing the file", reason: AV.message(status))
        }
    }
}

/// The mark EmoteLab leaves in the `comment` tag of the videos it writes, and the test of it.
public enum EvidenceMark {
    /// The comment of a clip or annotated video made from the recording with `contentHash`.
    public static func comment(kind: String, contentHash: String) -> String {
        "EmoteLab \(kind) of recording sha256:\(contentHash)"
    }

    /// The container's `comment` tag of the media file at `path`, or nil when it has none or is no media file.
    public static func comment(ofFileAt path: String) -> String? {
        _ = AV.quiet
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let status = RawFileName.withCString("file:" + path) { avformat_open_input(&opened, $0, nil, nil) }
        guard status >= 0, let context = opened else { return nil }
        defer { avformat_close_input(&opened) }
        guard let entry = av_dict_get(context.pointee.metadata, "comment", nil, 0), let value = entry.pointee.value else {
            return nil
        }
        return String(cString: value)
    }

    /// Whether the file at `path` is an EmoteLab video (any kind, any recording): one a later run may replace.
    public static func isEvidenceVideo(atPath path: String) -> Bool {
        comment(ofFileAt: path)?.hasPrefix("EmoteLab ") == true
    }
}
