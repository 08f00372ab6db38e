/// A stretch of a video, from one keyframe to the next chosen one, that a `VideoReader` can decode on its own
/// (`VideoReader.begin(_:)`) and deliver exactly the frames a reading of the whole video would deliver there.
///
/// Segments come from `VideoSegmentPlan`, which checks the stream's timestamps so that: every frame shown
/// before `start` is decoded before the keyframe at `start`, or right after it as one of its leading
/// pictures; the sampler can resume from `previousTimestamp`; and `origin` is the first frame's timestamp,
/// the origin of the sampling grid. Times are in the stream's time base (`start`, `end`) and in seconds.
public struct VideoSegment: Sendable, Hashable {
    /// Presentation timestamp (stream ticks) of the keyframe the segment starts at; nil: the video's start.
    public let start: Int64?
    /// Presentation timestamp (stream ticks) of the next segment's keyframe; frames from there on are not
    /// part of this segment. Nil: to the end of the video.
    public let end: Int64?
    /// `start` and `end` in seconds.
    public let startSeconds: Double?
    public let endSeconds: Double?
    /// Timestamp (seconds) of the last frame shown before `start`, from which the sampler resumes.
    public let previousTimestamp: Double?
    /// Timestamp (seconds) of the video's first frame, the origin of the sampling grid.
    public let origin: Double?
    /// Byte position of the start keyframe's packet in the file (-1: unknown), for containers that seek by
    /// position more precisely than by time (MPEG transport and program streams).
    public let startPosition: Int64
    /// True when no packet from the end keyframe on is shown before it (a closed group of pictures), so
    /// decoding can stop at the end keyframe's packet instead of decoding it for its leading pictures.
    public let stopsAtEndPacket: Bool

    /// The whole video, read from the start: what a fresh reader does without `begin(_:)`.
    public static let whole = VideoSegment(start: nil, end: nil, startSeconds: nil, endSeconds: nil,
                                           previousTimestamp: nil, origin: nil, startPosition: -1,
                                           stopsAtEndPacket: false)
}
