/// How `VideoReader` decodes and delivers frames.
public struct VideoReadOptions: Sendable, Equatable {
    /// Frames per second to deliver, chosen by timestamp (see `VideoReader`); nil delivers every frame.
    public var sampleRate: Double?
    /// Largest width of delivered images; wider frames are scaled down with swscale (aspect kept).
    /// Nil keeps the source size.
    public var maxWidth: Int?
    /// Decoder threads (frame + slice threading); 0 lets FFmpeg choose from the core count.
    public var threads: Int
    /// When sampling H.264, let the decoder skip non-reference frames that provably cannot be delivered
    /// (see `VideoReader`). Delivered frames are the same either way; turning it off makes
    /// `VideoReader.decodedFrameCount` the stream's full frame count.
    public var skipsUndeliverableFrames: Bool
    /// Skip the in-loop deblocking filter (FFmpeg's `skip_loop_filter = all`): about a quarter less decode
    /// time for H.264, at the cost of slightly blockier pictures (delivered pixels then differ from an exact
    /// decode by a few levels near block edges). Timestamps and the choice of frames are unchanged.
    public var skipsLoopFilter: Bool
    /// The container stream to read, by index; nil reads the video stream FFmpeg ranks best
    /// (`av_find_best_stream`: the default-flagged or largest one).
    public var videoStream: Int?
    /// When sampling H.264, decode and sample only the *anchor frames*, the I and P reference pictures:
    /// the decoder discards every B and non-reference picture (FFmpeg's `skip_frame = bidir`), about a
    /// third of the decode time of a stream with B-frames. Only correct for streams whose anchor frames
    /// never reference a B picture, so it is set from `VideoSegmentPlan.readOptions(_:)`, which proves that
    /// and that the anchor frames fill every grid point the sampling fills; each sample is then the first
    /// anchor frame at or after its grid point. Ignored for other codecs and without `sampleRate`.
    public var anchorFramesOnly = false

    public init(sampleRate: Double? = nil, maxWidth: Int? = nil, threads: Int = 0,
                skipsUndeliverableFrames: Bool = true, skipsLoopFilter: Bool = false, videoStream: Int? = nil) {
        self.videoStream = videoStream
        self.sampleRate = sampleRate
        self.maxWidth = maxWidth
        self.threads = threads
        self.skipsUndeliverableFrames = skipsUndeliverableFrames
        self.skipsLoopFilter = skipsLoopFilter
    }

    /// Throws `VideoIOError.invalidOption` for a non-positive or non-finite rate, width or thread count.
    func validate() throws {
        if let sampleRate, !(sampleRate.isFinite && sampleRate > 0) {
            throw VideoIOError.invalidOption("sample rate must be a positive number of frames per second, got \(sampleRate)")
        }
        if let maxWidth, maxWidth < 1 {
            throw VideoIOError.invalidOption("maximum width must be at least 1 pixel, got \(maxWidth)")
        }
        if let videoStream, videoStream < 0 {
            throw VideoIOError.invalidOption("video stream index must be 0 or more, got \(videoStream)")
        }
        if threads < 0 { throw VideoIOError.invalidOption("thread count must be 0 (automatic) or more, got \(threads)") }
    }
}
