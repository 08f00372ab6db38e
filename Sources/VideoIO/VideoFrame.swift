/// One delivered video frame.
public struct VideoFrame: Sendable {
    /// The frame in 8-bit gray, upright, scaled to `VideoReadOptions.maxWidth` (aspect kept) if requested.
    public let image: GrayImage
    /// Presentation time in seconds from the start of the recording: `best_effort_timestamp × time_base`
    /// (with the container's edit list applied by FFmpeg's demuxer) less the container's start time, so a
    /// transport stream whose clock starts at 1:00:01 or below zero still starts at 0, as players show it.
    public let timestamp: Double
    /// Width of the source frame as displayed (after rotation), before any scaling. Multiply image
    /// coordinates by `sourceWidth / image.width` to map them back to source pixels.
    public let sourceWidth: Int
    /// Height of the source frame as displayed (after rotation), before any scaling.
    public let sourceHeight: Int

    public init(image: GrayImage, timestamp: Double, sourceWidth: Int, sourceHeight: Int) {
        self.image = image
        self.timestamp = timestamp
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
    }
}
