/// A video stream of a container other than the one being read (screen and camera recorded side by side,
/// say), so callers can say which one they read and offer the others.
public struct VideoStreamSummary: Sendable, Equatable, Encodable {
    /// Index of the stream in the container (what `VideoReadOptions.videoStream` takes).
    public let index: Int
    /// FFmpeg's short codec name.
    public let codec: String
    /// Stored picture size in pixels.
    public let width: Int
    public let height: Int

    /// `1 (h264 960x540)`.
    public var description: String { "\(index) (\(codec) \(width)x\(height))" }
}
