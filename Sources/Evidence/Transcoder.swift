import CFFmpeg
import Foundation

/// Re-encodes a span of a recording's video (frame-accurately: the first frame written is the first at
/// or after the start), letting a caller draw on every frame in RGB, and copies the audio packets that
/// start inside the span. Used by re-encoded clips (with optional captions) and the annotated video.
///
/// Frames are decoded, converted to RGB24 by swscale (at the decoded size, rounded down to even numbers
/// for 4:2:0), handed to `draw` with their time, converted to YUV 4:2:0 and encoded. Without `draw` the
/// pictures keep their orientation and the output keeps the recording's display matrix; with `draw` a
/// recording that players turn by 90°, 180° or 270° is turned upright first (so drawing coordinates are
/// the displayed ones, as the stored face boxes are) and written upright without a display matrix. Timestamps are the
/// decoded frames' own (variable frame rates kept), shifted so the output starts at 0.
public final class Transcoder {
    /// Progress: seconds of the span done so far, and the span's length (nil when the length is unknown).
    public typealias Progress = (_ done: Double, _ total: Double?) -> Void
    /// Drawing on one frame: the picture and its time in seconds from the recording's start.
    public typealias Draw = (_ canvas: RGBCanvas, _ time: Double) -> Void

    /// What a transcode produced.
    public struct Result: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var frames: Int
        public var encoder: VideoEncoderChoice
        /// Whether the audio was copied (the recording has audio).
        public var audio: Bool
        /// The decoded picture size the drawing coordinates refer to.
        public var width: Int
        public var height: Int
    }

    private let source: SourceMedia
    private let encoderChoice: VideoEncoderChoice

    /// Opens the recording at `recording`; `encoder` nil picks `VideoEncoderChoice.preferred`.
    public init(recording: String, encoder: VideoEncoderChoice? = nil) throws {
        source = try SourceMedia(path: recording)
        guard let choice = encoder ?? VideoEncoderChoice.preferred, choice.isAvailable else { throw EvidenceError.noEncoder }
        encoderChoice = choice
    }

    /// The recording's rotation in degrees (players turn the picture by it; 0 for none).
    public var rotation: Int { source.rotation }
    /// The recording's duration in seconds, when known.
    public var duration: Double? { source.duration }
    /// The decoded picture size.
    public var frameSize: (width: Int, height: Int) {
        (Int(source.video.pointee.codecpar.pointee.width), Int(source.video.pointee.codecpar.pointee.height))
    }

    /// The file extension the output needs (`mp4` unless the audio codec does not fit MP4).
    public var fileExtension: String {
        let codecs = [encoderChoice == .x264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_MPEG4]
            + [source.audio?.pointee.codecpar.pointee.codec_id].compactMap { $0 }
        return MediaOutput.container(for: codecs).fileExtension
    }

    /// Encodes [start, end) (end nil: to the end) into a new file at `output` with comment tag `comment`,
    /// in the container `format` (an FFmpeg muxer name such as `mp4`, `mov`, `matroska`; nil: MP4 unless
    /// the audio does not fit it, then Matroska).
    public func run(start: Double = 0, end: Double? = nil, to output: String, format: String? = nil, comment: String,
                    draw: Draw? = nil, progress: Progress? = nil) throws -> Result {
        let path = source.displayPath
        let videoID = encoderChoice == .x264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_MPEG4
        let codecs = [videoID] + [source.audio?.pointee.codecpar.pointee.codec_id].compactMap { $0 }
        let sink = try MediaOutput(path: output, format: format ?? MediaOutput.container(for: codecs).format, comment: comment)

        // Decoder.
        let parameters = source.video.pointee.codecpar!
        guard let decoderCodec = avcodec_find_decoder(parameters.pointee.codec_id),
              let decoder = avcodec_alloc_context3(decoderCodec) else {
            throw EvidenceError.media(path: path, operation: "opening the video decoder", reason: "no decoder for the codec")
        }
        defer { var owned: UnsafeMutablePointer<AVCodecContext>? = decoder; avcodec_free_context(&owned) }
        avcodec_parameters_to_context(decoder, parameters)
        decoder.pointee.pkt_timebase = source.video.pointee.time_base
        decoder.pointee.thread_count = 0
        var status = avcodec_open2(decoder, decoderCodec, nil)
        guard status >= 0 else {
            throw EvidenceError.media(path: path, operation: "opening the video decoder", reason: AV.message(status))
        }

        // Encoder.
        let width = Int(parameters.pointee.width) & ~1, height = Int(parameters.pointee.height) & ~1
        guard width > 0, height > 0 else {
            throw EvidenceError.media(path: path, operation: "reading the picture size", reason: "\(width)x\(height)")
        }
        let turn = draw == nil ? 0 : source.rotation
        if draw != nil && (source.isMirrored || turn % 90 != 0) {
            throw EvidenceError.rotated(path: path, degrees: turn)
        }
        let (outWidth, outHeight) = turn == 90 || turn == 270 ? (height, width) : (width, height)
        guard let encoderCodec = avcodec_find_encoder_by_name(encoderChoice.rawValue),
              let encoder = avcodec_alloc_context3(encoderCodec) else { throw EvidenceError.noEncoder }
        defer { var owned: UnsafeMutablePointer<AVCodecContext>? = encoder; avcodec_free_context(&owned) }
        encoder.pointee.width = Int32(outWidth)
        encoder.pointee.height = Int32(outHeight)
        encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        encoder.pointee.sample_aspect_ratio = parameters.pointee.sample_aspect_ratio
        let rate = source.video.pointee.avg_frame_rate
        encoder.pointee.framerate = rate
        // MPEG-4 Part 2 needs a time base below 2^16; x264 takes the stream's own.
        var timeBase = source.video.pointee.time_base
        if encoderChoice == .mpeg4 || timeBase.den >= 1 << 16 || timeBase.num == 0 {
            timeBase = rate.num > 0 && rate.den > 0 && rate.num < 1 << 16 ? AVRational(num: rate.den, den: rate.num)
                                                                           : AVRational(num: 1, den: 1000)
            if encoderChoice != .mpeg4 && timeBase.num != 1 { timeBase = AVRational(num: 1, den: 1000) }
        }
        encoder.pointee.time_base = timeBase
        encoder.pointee.gop_size = AV.double(rate) > 0 ? max(1, Int32((AV.double(rate) * 2).rounded())) : 50
        encoder.pointee.thread_count = 0
        if sink.wantsGlobalHeader { encoder.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        var options: OpaquePointer?
        if encoderChoice == .x264 {
            av_dict_set(&options, "preset", "veryfast", 0)
            av_dict_set(&options, "crf", "20", 0)
        } else {
            encoder.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
            encoder.pointee.global_quality = 3 * FF_QP2LAMBDA
        }
        status = avcodec_open2(encoder, encoderCodec, &options)
        av_dict_free(&options)
        guard status >= 0 else {
            throw EvidenceError.media(path: path, operation: "opening the \(encoderChoice.rawValue) encoder", reason: AV.message(status))
        }
        let videoOut = try sink.addStream(encoder: encoder)
        if turn == 0 { sink.copyDisplayMatrix(from: source.video, to: videoOut) }   // players turn it as the recording
        let audioOut = try source.audio.map { try sink.addCopy(of: $0) }
        try sink.open()
        if start > 0 { try source.seek(to: start) }

        // Buffers.
        guard let packet = av_packet_alloc(), let decoded = av_frame_alloc(), let rgb = av_frame_alloc(),
              let yuv = av_frame_alloc(), let encoded = av_packet_alloc(), let upright = av_frame_alloc() else {
            throw EvidenceError.media(path: path, operation: "allocating buffers", reason: "out of memory")
        }
        var buffers = (packet: Optional(packet), decoded: Optional(decoded), rgb: Optional(rgb), yuv: Optional(yuv),
                       encoded: Optional(encoded), upright: Optional(upright))
        defer {
            av_packet_free(&buffers.packet); av_frame_free(&buffers.decoded); av_frame_free(&buffers.rgb)
            av_frame_free(&buffers.yuv); av_packet_free(&buffers.encoded); av_frame_free(&buffers.upright)
        }
        for (frame, format, size) in [(rgb, AV_PIX_FMT_RGB24, (width, height)), (yuv, AV_PIX_FMT_YUV420P, (outWidth, outHeight)),
                                      (upright, AV_PIX_FMT_RGB24, (outWidth, outHeight))] {
            frame.pointee.width = Int32(size.0)
            frame.pointee.height = Int32(size.1)
            frame.pointee.format = format.rawValue
            guard av_frame_get_buffer(frame, 0) >= 0 else {
                throw EvidenceError.media(path: path, operation: "allocating frames", reason: "out of memory")
            }
        }
        var toRGB: OpaquePointer?, toYUV: OpaquePointer?
        defer { sws_freeContext(toRGB); sws_freeContext(toYUV) }

        let total = end.map { $0 - start } ?? source.duration.map { $0 - start }
        var frames = 0
        var firstTime: Double?, lastTime = start, lastPTS: Int64 = -1
        var videoDone = false, audioDone = source.audio == nil

        let frameRate = AV.double(source.video.pointee.avg_frame_rate)
        let frameTicks = max(1, Int64(((frameRate > 0 ? 1 / frameRate : 0.04) / AV.double(encoder.pointee.time_base)).rounded()))

        func drain(flushing: Bool) throws {
            while true {
                let received = avcodec_receive_packet(encoder, encoded)
                if received == AV.eagain || received == AV.eof { return }
                guard received >= 0 else {
                    throw EvidenceError.media(path: path, operation: "encoding", reason: AV.message(received))
                }
                // Encoders leave the duration at 0; MP4's edit list would then cut the last frame off.
                if encoded.pointee.duration <= 0 { encoded.pointee.duration = frameTicks }
                av_packet_rescale_ts(encoded, encoder.pointee.time_base, videoOut.pointee.time_base)
                encoded.pointee.stream_index = videoOut.pointee.index
                try sink.write(encoded)
            }
        }

        func handleFrames() throws {
            while true {
                let received = avcodec_receive_frame(decoder, decoded)
                if received == AV.eagain || received == AV.eof { return }
                if received < 0 { return }     // a packet that failed to decode: carry on with the next one
                defer { av_frame_unref(decoded) }
                let stamp = decoded.pointee.best_effort_timestamp
                guard stamp != AV.noPTS else { continue }
                let time = source.seconds(stamp, of: source.video)
                if time < start - 1e-6 || videoDone { continue }
                if let end, time >= end - 1e-6 { videoDone = true; continue }
                toRGB = sws_getCachedContext(toRGB, decoded.pointee.width, decoded.pointee.height,
                                             AVPixelFormat(decoded.pointee.format), Int32(width), Int32(height),
                                             AV_PIX_FMT_RGB24, Int32(SWS_BILINEAR), nil, nil, nil)
                toYUV = sws_getCachedContext(toYUV, Int32(outWidth), Int32(outHeight), AV_PIX_FMT_RGB24, Int32(outWidth),
                                             Int32(outHeight), AV_PIX_FMT_YUV420P, Int32(SWS_BILINEAR), nil, nil, nil)
                guard let toRGB, let toYUV, av_frame_make_writable(rgb) >= 0, av_frame_make_writable(yuv) >= 0 else {
                    throw EvidenceError.media(path: path, operation: "converting pictures", reason: "unsupported pixel format")
                }
                withFramePlanes(decoded) { sourcePlanes, sourceStrides in
                    withFramePlanes(rgb) { rgbPlanes, rgbStrides in
                        sws_scale(toRGB, sourcePlanes.map { $0.map { UnsafePointer<UInt8>($0) } }, sourceStrides, 0,
                                  decoded.pointee.height, rgbPlanes, rgbStrides)
                    }
                }
                let picture = turn == 0 ? rgb : upright
                if turn != 0 {
                    guard av_frame_make_writable(upright) >= 0 else {
                        throw EvidenceError.media(path: path, operation: "turning pictures", reason: "out of memory")
                    }
                    Self.turn(rgb, into: upright, clockwise: turn, width: width, height: height)
                }
                if let draw, let pixels = picture.pointee.data.0 {
                    draw(RGBCanvas(width: outWidth, height: outHeight, stride: Int(picture.pointee.linesize.0), pixels: pixels), time)
                }
                withFramePlanes(picture) { rgbPlanes, rgbStrides in
                    withFramePlanes(yuv) { yuvPlanes, yuvStrides in
                        sws_scale(toYUV, rgbPlanes.map { $0.map { UnsafePointer<UInt8>($0) } }, rgbStrides, 0, Int32(outHeight),
                                  yuvPlanes, yuvStrides)
                    }
                }
                if firstTime == nil { firstTime = time }
                var pts = Int64(((time - start) / AV.double(encoder.pointee.time_base)).rounded())
                if pts <= lastPTS { pts = lastPTS + 1 }
                lastPTS = pts
                yuv.pointee.pts = pts
                let sent = avcodec_send_frame(encoder, yuv)
                guard sent >= 0 else { throw EvidenceError.media(path: path, operation: "encoding", reason: AV.message(sent)) }
                try drain(flushing: false)
                frames += 1
                let rate = AV.double(source.video.pointee.avg_frame_rate)
                lastTime = time + (rate > 0 ? 1 / rate : 0)
                progress?(time - start, total)
            }
        }

        readLoop: while !(videoDone && audioDone) {
            let read = av_read_frame(source.format, packet)
            if read < 0 { break readLoop }
            defer { av_packet_unref(packet) }
            let index = packet.pointee.stream_index
            if index == source.video.pointee.index {
                guard !videoDone else { continue }
                if avcodec_send_packet(decoder, packet) == AV.eagain {
                    try handleFrames()
                    _ = avcodec_send_packet(decoder, packet)
                }
                try handleFrames()
            } else if let audio = source.audio, let audioOut, index == audio.pointee.index {
                let stamp = packet.pointee.pts != AV.noPTS ? packet.pointee.pts : packet.pointee.dts
                guard stamp != AV.noPTS else { continue }
                let time = source.seconds(stamp, of: audio)
                if time < start - 1e-6 { continue }
                if let end, time >= end - 1e-6 { audioDone = true; continue }
                let shift = source.ticks(start, of: audio)
                if packet.pointee.pts != AV.noPTS { packet.pointee.pts -= shift }
                if packet.pointee.dts != AV.noPTS { packet.pointee.dts -= shift }
                av_packet_rescale_ts(packet, audio.pointee.time_base, audioOut.pointee.time_base)
                packet.pointee.stream_index = audioOut.pointee.index
                packet.pointee.pos = -1
                try sink.write(packet)
            }
        }
        avcodec_send_packet(decoder, nil)
        try handleFrames()
        avcodec_send_frame(encoder, nil)
        try drain(flushing: true)
        try sink.finish()
        guard let firstTime, frames > 0 else {
            let until = end.map { "\($0) s" } ?? "the end"
            throw EvidenceError.media(path: path, operation: "re-encoding \(start) s – \(until)",
                                      reason: "no video frame in that span")
        }
        return Result(start: firstTime, end: lastTime, frames: frames, encoder: encoderChoice,
                      audio: source.audio != nil, width: outWidth, height: outHeight)
    }

    /// Copies the packed RGB24 picture `source` (`width` × `height`) into `target` turned `clockwise` by 90,
    /// 180 or 270 degrees (target `height` × `width` for 90 and 270).
    static func turn(_ source: UnsafeMutablePointer<AVFrame>, into target: UnsafeMutablePointer<AVFrame>, clockwise: Int,
                     width: Int, height: Int) {
        guard let from = source.pointee.data.0, let to = target.pointee.data.0 else { return }
        let inStride = Int(source.pointee.linesize.0), outStride = Int(target.pointee.linesize.0)
        let (outWidth, outHeight) = clockwise == 180 ? (width, height) : (height, width)
        for oy in 0..<outHeight {
            let row = to + oy * outStride
            for ox in 0..<outWidth {
                let (sx, sy): (Int, Int)
                switch clockwise {
                case 90: (sx, sy) = (oy, height - 1 - ox)           // the output's top-left is the source's bottom-left
                case 180: (sx, sy) = (width - 1 - ox, height - 1 - oy)
                default: (sx, sy) = (width - 1 - oy, ox)            // 270: the source's top-right
                }
                let pixel = from + sy * inStride + 3 * sx
                row[3 * ox] = pixel[0]; row[3 * ox + 1] = pixel[1]; row[3 * ox + 2] = pixel[2]
            }
        }
    }
}

/// Calls `body` with the plane pointers and strides of `frame` as swscale takes them.
private func withFramePlanes<T>(_ frame: UnsafeMutablePointer<AVFrame>,
                                _ body: ([UnsafeMutablePointer<UInt8>?], [Int32]) throws -> T) rethrows -> T {
    let data = frame.pointee.data, sizes = frame.pointee.linesize
    return try body([data.0, data.1, data.2, data.3, data.4, data.5, data.6, data.7],
                    [sizes.0, sizes.1, sizes.2, sizes.3, sizes.4, sizes.5, sizes.6, sizes.7])
}
