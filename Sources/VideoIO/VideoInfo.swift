import CFFmpeg

/// What a video file holds, as read from its container before decoding.
public struct VideoInfo: Sendable, Equatable {
    /// FFmpeg's short name of the container format, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    public let container: String
    /// FFmpeg's descriptive name of the container format, e.g. `QuickTime / MOV`.
    public let containerDescription: String
    /// Index of the chosen video stream in the container (`av_find_best_stream`).
    public let streamIndex: Int
    /// Number of streams of any kind in the container.
    public let streamCount: Int
    /// FFmpeg's short codec name, e.g. `h264`, `hevc`, `mjpeg`.
    public let codec: String
    /// FFmpeg's descriptive codec name, e.g. `H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10`.
    public let codecDescription: String
    /// Frame width as displayed (square pixels, after rotation), in pixels.
    public let width: Int
    /// Frame height as displayed (after rotation), in pixels.
    public let height: Int
    /// The stored pixels' aspect ratio (width over height, the stream's sample aspect ratio) when they are
    /// not square; frames are delivered stretched to square pixels. Nil for square or unknown.
    public let pixelAspect: Double?
    /// Clockwise rotation in degrees (0, 90, 180 or 270 in practice) applied to decoded pictures to show
    /// them upright, from the stream's display matrix.
    public let rotation: Int
    /// Duration in seconds: where the video ends on its frames' clock (seconds from the recording's start, see
    /// `VideoFrame.timestamp`): the video stream's start plus its own duration, else the container's duration
    /// (for Matroska, which counts it from timestamp 0, less the recording's start);
    /// nil when neither is known.
    public let duration: Double?
    /// Average frame rate in frames per second as the container reports it; nil when unknown.
    public let averageFrameRate: Double?
    /// The container's other video streams (not read; cover pictures excluded).
    public let otherVideoStreams: [VideoStreamSummary]
    /// Number of video frames the container's index lists (before edit lists); nil when it has no index.
    public let declaredFrameCount: Int?

    /// True for a still picture (JPEG, PNG, …) read through one of FFmpeg's image demuxers
    /// (`image2`, `jpeg_pipe`, `png_pipe`, …) rather than a video container.
    public var isStillImage: Bool { container == "image2" || container.hasSuffix("_pipe") }

    init(input: MediaInput, orientation: Orientation) {
        let format = input.format.pointee
        let stream = input.stream.pointee
        let parameters = stream.codecpar.pointee
        container = FFmpeg.string(format.iformat?.pointee.name)
        containerDescription = FFmpeg.string(format.iformat?.pointee.long_name, fallback: container)
        streamIndex = Int(stream.index)
        streamCount = Int(format.nb_streams)
        codec = FFmpeg.string(avcodec_get_name(parameters.codec_id))
        codecDescription = FFmpeg.string(avcodec_descriptor_get(parameters.codec_id)?.pointee.long_name,
                                         fallback: codec)
        let aspect = Self.pixelAspect(of: input)
        pixelAspect = aspect == 1 ? nil : aspect
        let size = orientation.displayedSize(width: GrayConverter.shownWidth(Int(parameters.width), pixelAspect: aspect),
                                             height: Int(parameters.height))
        width = size.width
        height = size.height
        rotation = orientation.rotation
        // On the frames' clock (seconds from the recording's start): a video that starts after the
        // recording (behind its audio) ends that much later.
        let start = input.videoStartSeconds
        if stream.duration != FFmpeg.noPTS, stream.duration > 0, let unit = FFmpeg.double(stream.time_base) {
            duration = start + Double(stream.duration) * unit
        } else if format.duration != FFmpeg.noPTS, format.duration > 0 {
            let stated = Double(format.duration) / Double(AV_TIME_BASE)
            // Matroska's segment duration runs from timestamp 0, not from the first frame: on a clock that
            // starts at the first frame it ends that much sooner (a file cut by FFmpeg's segment muxer at
            // 4.064 s with a duration of 8.131 lasts 4.067 s).
            let fromOrigin = stated + FFmpeg.seconds(0, stream.time_base, origin: input.originTicks)
            duration = container.hasPrefix("matroska") && fromOrigin > 0 ? fromOrigin : stated
        } else {
            duration = nil
        }
        averageFrameRate = FFmpeg.double(stream.avg_frame_rate)
        declaredFrameCount = stream.nb_frames > 0 ? Int(stream.nb_frames) : nil
        otherVideoStreams = input.otherVideoStreams
    }

    /// The sample aspect ratio FFmpeg reports for the stream (container, else codec), as width over height;
    /// 1 when unset or implausible (outside 1:4 … 4:1).
    static func pixelAspect(of input: MediaInput) -> Double {
        let ratio = av_guess_sample_aspect_ratio(input.format, input.stream, nil)
        guard let value = FFmpeg.double(ratio), value.isFinite, (0.25...4).contains(value) else { return 1 }
        return value
    }

    /// The video track's `DURATION` tag (`HH:MM:SS.nnnnnnnnn`) that Matroska and WebM writers store per
    /// track, in seconds. Writers disagree on whether it is the track's length or its end time, so it only
    /// bounds how far the video should run (`VideoReader`'s truncation check). Nil when absent or malformed.
    static func taggedDuration(of input: MediaInput) -> Double? {
        guard let entry = av_dict_get(input.stream.pointee.metadata, "DURATION", nil, 0),
              let value = entry.pointee.value else { return nil }
        let parts = String(cString: value).split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let sec = Double(parts[2]),
              h >= 0, m >= 0, sec >= 0 else { return nil }
        let total = h * 3600 + m * 60 + sec
        return total.isFinite && total > 0 ? total : nil
    }
}
