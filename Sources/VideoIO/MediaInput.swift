import CFFmpeg
import FileNames
import Foundation

/// An opened media file: FFmpeg's demuxer, the chosen video stream and an opened decoder for it.
///
/// Opening checks the path first (exists, regular file, readable, not empty) so that each of those problems
/// gets its own one-line `VideoIOError`; FFmpeg's failures are then classified the same way.
final class MediaInput {
    /// The path as the caller gave it, for messages (bytes that are not UTF-8 shown as `\xNN`).
    let displayPath: String
    let format: UnsafeMutablePointer<AVFormatContext>
    let stream: UnsafeMutablePointer<AVStream>
    let decoder: UnsafeMutablePointer<AVCodecContext>

    var streamIndex: Int32 { stream.pointee.index }
    var timeBase: AVRational { stream.pointee.time_base }
    /// The start of the recording in the video stream's ticks: timestamps are seconds after it. It is the
    /// container's start time (the earliest stream's start, as players show it: a transport stream cut
    /// from a broadcast at 1:00:01 or a file whose timestamps start below zero still starts at 0:00),
    /// rounded down to a tick and never after the video's own start, so no frame gets a negative time.
    let originTicks: Int64

    /// Where the video stream starts on that clock, in seconds (0 when the stream does not say).
    var videoStartSeconds: Double {
        let start = stream.pointee.start_time
        return start == FFmpeg.noPTS ? 0 : FFmpeg.seconds(start, timeBase, origin: originTicks)
    }

    /// Opens `url` and the video stream `streamIndex` (nil: the best one).
    init(url: URL, threads: Int, streamIndex: Int? = nil) throws {
        FFmpeg.configureLogging
        let path = RawFileName.displayed(url.relativePath)
        displayPath = path
        let looksLikeMP4 = try Self.checkFile(atPath: url.path, displayPath: path)

        var formatContext: UnsafeMutablePointer<AVFormatContext>?
        // The file's own bytes (a name need not be UTF-8), behind FFmpeg's `file:` protocol so that a name
        // with a colon is never taken for another protocol.
        let openStatus = RawFileName.withCString("file:" + url.path) { avformat_open_input(&formatContext, $0, nil, nil) }
        guard openStatus >= 0, let formatContext else {
            let reason = FFmpeg.errorString(openStatus)
            if openStatus == FFmpeg.invalidData {
                throw looksLikeMP4 ? VideoIOError.damagedContainer(path: path, reason: reason)
                                   : VideoIOError.unrecognisedFormat(path: path, reason: reason)
            }
            throw VideoIOError.ffmpeg(path: path, operation: "opening the file", reason: reason)
        }
        var owned: UnsafeMutablePointer<AVFormatContext>? = formatContext
        do {
            let infoStatus = avformat_find_stream_info(formatContext, nil)
            guard infoStatus >= 0 else {
                throw VideoIOError.ffmpeg(path: path, operation: "reading the stream layout",
                                          reason: FFmpeg.errorString(infoStatus))
            }
            let stream = try streamIndex.map { try Self.videoStream($0, in: formatContext, path: path) }
                ?? Self.bestVideoStream(in: formatContext, path: path)
            decoder = try Self.openDecoder(for: stream, threads: threads, path: path)
            self.stream = stream
            format = formatContext
            originTicks = Self.origin(format: formatContext, stream: stream)
        } catch {
            avformat_close_input(&owned)
            throw error
        }
    }

    deinit {
        var decoderContext: UnsafeMutablePointer<AVCodecContext>? = decoder
        avcodec_free_context(&decoderContext)
        var formatContext: UnsafeMutablePointer<AVFormatContext>? = format
        avformat_close_input(&formatContext)
    }

    /// Checks that `path` is a readable, non-empty regular file. Returns whether it starts like an
    /// ISO-BMFF (MP4/MOV) file, so that an unreadable one can be reported as a damaged container.
    private static func checkFile(atPath path: String, displayPath: String) throws -> Bool {
        guard let info = RawFileSystem.status(path) else {
            if errno == ENOENT || errno == ENOTDIR { throw VideoIOError.fileNotFound(path: displayPath) }
            throw VideoIOError.unreadable(path: displayPath, reason: String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw VideoIOError.notAFile(path: displayPath)
        case S_IFREG: break
        // Opening a named pipe blocks until something writes to it, and a stream cannot be hashed,
        // planned and read again: only regular files are analysed.
        case S_IFIFO: throw VideoIOError.notARegularFile(path: displayPath, kind: "a named pipe")
        case S_IFCHR: throw VideoIOError.notARegularFile(path: displayPath, kind: "a character device")
        case S_IFBLK: throw VideoIOError.notARegularFile(path: displayPath, kind: "a block device")
        case S_IFSOCK: throw VideoIOError.notARegularFile(path: displayPath, kind: "a socket")
        default: throw VideoIOError.notARegularFile(path: displayPath, kind: "not a regular file")
        }
        let fd = RawFileSystem.openForReading(path)
        guard fd >= 0 else {
            throw VideoIOError.unreadable(path: displayPath, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        if (info.st_mode & S_IFMT) == S_IFREG && info.st_size == 0 {
            throw VideoIOError.emptyFile(path: displayPath)
        }
        var head = [UInt8](repeating: 0, count: 12)
        let count = read(fd, &head, head.count)
        if count < 0 { throw VideoIOError.unreadable(path: displayPath, reason: String(cString: strerror(errno))) }
        return count >= 8 && head[4...7].elementsEqual("ftyp".utf8)
    }

    /// See `originTicks`; 0 when neither the container nor the stream knows its start.
    private static func origin(format: UnsafeMutablePointer<AVFormatContext>,
                               stream: UnsafeMutablePointer<AVStream>) -> Int64 {
        let streamStart = stream.pointee.start_time
        let formatStart = format.pointee.start_time
        var origin: Int64?
        if formatStart != FFmpeg.noPTS {
            origin = av_rescale_q_rnd(formatStart, AVRational(num: 1, den: AV_TIME_BASE), stream.pointee.time_base,
                                      AV_ROUND_DOWN)
        }
        if streamStart != FFmpeg.noPTS { origin = min(origin ?? streamStart, streamStart) }
        return origin ?? 0
    }

    /// Whether `stream` is a video stream proper (not a cover picture).
    private static func isVideo(_ stream: UnsafeMutablePointer<AVStream>) -> Bool {
        stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
            && stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
    }

    private static func streams(of format: UnsafeMutablePointer<AVFormatContext>) -> [UnsafeMutablePointer<AVStream>] {
        (0..<Int(format.pointee.nb_streams)).compactMap { format.pointee.streams[$0] }
    }

    /// Stream `index`, which must be a video stream.
    private static func videoStream(_ index: Int, in format: UnsafeMutablePointer<AVFormatContext>,
                                    path: String) throws -> UnsafeMutablePointer<AVStream> {
        let all = streams(of: format)
        guard index < all.count, isVideo(all[index]) else {
            throw VideoIOError.notAVideoStream(path: path, index: index,
                                               videoStreams: all.indices.filter { isVideo(all[$0]) },
                                               streamCount: all.count)
        }
        return all[index]
    }

    /// The container's other video streams (cover pictures excluded), in index order.
    var otherVideoStreams: [VideoStreamSummary] {
        Self.streams(of: format).filter { Self.isVideo($0) && $0 != stream }.map { other in
            let parameters = other.pointee.codecpar.pointee
            return VideoStreamSummary(index: Int(other.pointee.index), codec: FFmpeg.string(avcodec_get_name(parameters.codec_id)),
                                      width: Int(parameters.width), height: Int(parameters.height))
        }
    }

    /// The stream `av_find_best_stream` picks for video; when that is a cover picture (attached to an audio
    /// file), the first video stream proper, if any.
    private static func bestVideoStream(in format: UnsafeMutablePointer<AVFormatContext>,
                                        path: String) throws -> UnsafeMutablePointer<AVStream> {
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        let all = streams(of: format)
        if index == FFmpeg.streamNotFound {
            throw VideoIOError.noVideoStream(path: path, streams: streamKinds(all))
        }
        guard index >= 0, Int(index) < all.count else {
            throw VideoIOError.ffmpeg(path: path, operation: "choosing the video stream",
                                      reason: FFmpeg.errorString(index))
        }
        if isVideo(all[Int(index)]) { return all[Int(index)] }
        guard let video = all.first(where: isVideo) else {
            throw VideoIOError.noVideoStream(path: path, streams: streamKinds(all))
        }
        return video
    }

    /// Human names of the streams' kinds, in stream order, without repeats ("audio", "cover picture").
    private static func streamKinds(_ streams: [UnsafeMutablePointer<AVStream>]) -> [String] {
        var kinds: [String] = []
        for stream in streams {
            let kind: String
            if stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 {
                kind = "cover picture"
            } else {
                kind = FFmpeg.string(av_get_media_type_string(stream.pointee.codecpar.pointee.codec_type))
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    /// An opened decoder for `stream`, frame-threaded with `threads` threads (0 = FFmpeg's choice).
    private static func openDecoder(for stream: UnsafeMutablePointer<AVStream>, threads: Int,
                                    path: String) throws -> UnsafeMutablePointer<AVCodecContext> {
        guard let parameters = stream.pointee.codecpar else {
            throw VideoIOError.ffmpeg(path: path, operation: "reading the video stream", reason: "no codec parameters")
        }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw VideoIOError.unsupportedCodec(path: path,
                                                codec: FFmpeg.string(avcodec_get_name(parameters.pointee.codec_id)))
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw VideoIOError.ffmpeg(path: path, operation: "allocating the decoder", reason: "out of memory")
        }
        var status = avcodec_parameters_to_context(context, parameters)
        if status >= 0 {
            context.pointee.pkt_timebase = stream.pointee.time_base
            context.pointee.thread_count = Int32(clamping: threads)
            context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
            status = avcodec_open2(context, codec, nil)
        }
        guard status >= 0 else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw VideoIOError.ffmpeg(path: path, operation: "opening the \(FFmpeg.string(codec.pointee.name)) decoder",
                                      reason: FFmpeg.errorString(status))
        }
        return context
    }
}
