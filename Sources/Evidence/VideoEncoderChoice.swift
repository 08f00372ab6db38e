import CFFmpeg

/// The video encoder for re-encoded clips and annotated videos.
public enum VideoEncoderChoice: String, Sendable, CaseIterable {
    /// H.264 through libx264 (preset veryfast, CRF 20).
    case x264 = "libx264"
    /// MPEG-4 Part 2, FFmpeg's native encoder (constant quantiser 3).
    case mpeg4

    /// libx264 when this FFmpeg build has it, else MPEG-4 Part 2; nil with neither.
    public static var preferred: VideoEncoderChoice? { allCases.first(where: \.isAvailable) }

    /// Whether this FFmpeg build has the encoder.
    public var isAvailable: Bool { avcodec_find_encoder_by_name(rawValue) != nil }
}
