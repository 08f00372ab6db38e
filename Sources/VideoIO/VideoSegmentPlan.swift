import CFFmpeg
import Foundation

/// Splits a video at keyframes into `VideoSegment`s that separate `VideoReader`s can decode at the same time,
/// delivering together exactly the frames one reader sampling the whole video at `sampleRate` would.
///
/// Planning reads every packet of the video stream once without decoding (other streams are not read) and
/// decodes only the first frame. A keyframe becomes a boundary when everything before it in decode order
/// is shown before it, its leading pictures (shown before it but decoded after it, in open groups of
/// pictures) follow it closely, and it is at least `minimumSeconds` from the previous boundary and half
/// that from the end. The video stays one segment (with `singleReason` saying why) when its packets lack
/// timestamps or repeat one, an edit list drops frames, the file is truncated or damaged (so the sequential reader reports
/// it), the first frame's timestamp is not the smallest packet timestamp, or no keyframe qualifies.
///
/// Planning also decides whether the video may be sampled on its **anchor frames** alone (H.264 I and P
/// reference pictures; see `VideoReadOptions.anchorFramesOnly`): when `H264ReferenceAnalyzer` proves that
/// no anchor frame references a B picture, and sampling the anchor frames alone fills exactly the grid
/// points that sampling every frame fills (each sample then comes from the first anchor frame at or after
/// its grid point, at most a frame or two later than the first frame of any kind).
public struct VideoSegmentPlan: Sendable {
    /// The segments in time order; one `VideoSegment.whole` when the video is not split.
    public let segments: [VideoSegment]
    /// Why the video is read as one segment; nil when it is split.
    public let singleReason: String?
    /// Whether readers of this plan sample anchor frames only (`VideoReadOptions.anchorFramesOnly`); the
    /// segments' resume points are then those of the anchor frames.
    public let samplesAnchorFrames: Bool
    /// Why the video is not sampled on its anchor frames (nil when it is).
    public let anchorReason: String?

    /// `singleReason` for a video whose clock jumps (see `VideoReader`): its container duration then comes
    /// from the jumping clock.
    public static let clockJumpReason = "the timestamps jump (parts joined?)"

    /// `base` with `anchorFramesOnly` set as this plan decided.
    public func readOptions(_ base: VideoReadOptions) -> VideoReadOptions {
        var options = base
        options.anchorFramesOnly = samplesAnchorFrames
        return options
    }

    /// Plans the segments of `url`. With `allowsAnchorFrames` false the plan never samples anchor frames
    /// alone (readers then use options without `anchorFramesOnly`). Readers of a plan must use
    /// `readOptions(_:)`: the segments' resume points depend on the choice.
    /// - Throws: `VideoIOError` naming the file when it cannot be opened as a video.
    public static func make(url: URL, sampleRate: Double, minimumSeconds: Double = 8, videoStream: Int? = nil,
                            allowsAnchorFrames: Bool = true) throws -> VideoSegmentPlan {
        let input = try MediaInput(url: url, threads: 1, streamIndex: videoStream)
        let scan = PacketScan(input: input)
        if let problem = scan.problem { return single(problem, anchors: "the video is read whole: \(problem)") }
        let pts = scan.pts
        guard pts.count >= 2 else { return single("the video has fewer than two frames", anchors: "fewer than two frames") }
        let timeBase = input.timeBase
        func seconds(_ ticks: Int64) -> Double { FFmpeg.seconds(ticks, timeBase, origin: input.originTicks) }
        let times = pts.map(seconds)
        // A clock that jumps back (parts joined) or, in a transport stream, far ahead: the reader continues
        // the clock across the jump, which only a reading from the start can do.
        let mayJump = (input.format.pointee.iformat.pointee.flags & AVFMT_TS_DISCONT) != 0
        var latest = times[0]
        for time in times.dropFirst() {
            if VideoReader.isClockJump(from: latest, to: time, mayJumpAhead: mayJump) {
                return single(clockJumpReason, anchors: "the timestamps jump")
            }
            latest = max(latest, time)
        }
        // FFmpeg's best-effort timestamps equal the pts (which the boundaries are computed from) unless pts
        // repeat; a file whose pts do is read whole.
        let sorted = pts.sorted()
        if zip(sorted, sorted.dropFirst()).contains(where: { $0 == $1 }) {
            return single("two frames have the same presentation timestamp", anchors: "repeated timestamps")
        }
        if input.stream.pointee.nb_frames > 0, pts.count < Int(input.stream.pointee.nb_frames) {
            return single("the container lists more frames than could be read", anchors: "frames missing")
        }
        // The grid origin the sequential reader would use: its first frame's timestamp.
        let probe = try VideoReader(url: url, options: VideoReadOptions(maxWidth: 16, threads: 1, videoStream: videoStream))
        guard let first = try probe.next() else { return single("no frame could be decoded", anchors: "no frame decoded") }
        guard first.timestamp == seconds(pts.min()!) else {
            return single("the first frame's timestamp is not the smallest packet timestamp", anchors: "irregular start")
        }
        let origin = first.timestamp
        let anchorReason = allowsAnchorFrames
            ? scan.anchorProblem
                ?? AnchorCoverage.problem(times: times, isAnchor: scan.anchor, origin: origin, rate: sampleRate)
            : "not allowed"
        let anchors = anchorReason == nil
        // The frames that count for resuming the sampler: every frame, or the anchor frames alone.
        let counts = anchors ? scan.anchor : [Bool](repeating: true, count: pts.count)

        var prefixMax = pts
        for i in 1..<pts.count { prefixMax[i] = max(prefixMax[i - 1], pts[i]) }
        // The latest counted frame before each packet in decode order (the first packet is a counted frame:
        // the keyframe the stream starts with).
        var countedMax = [Int64](repeating: Int64.min, count: pts.count)
        countedMax[0] = counts[0] ? pts[0] : Int64.min
        for i in 1..<pts.count { countedMax[i] = counts[i] ? max(countedMax[i - 1], pts[i]) : countedMax[i - 1] }
        var suffixMin = pts
        for i in stride(from: pts.count - 2, through: 0, by: -1) { suffixMin[i] = min(suffixMin[i + 1], pts[i]) }
        let lastShown = seconds(prefixMax[pts.count - 1])

        struct Boundary { let ticks: Int64; let previous: Int64; let closed: Bool; let position: Int64 }
        var boundaries: [Boundary] = []
        var lastStart = origin
        let leadingWindow = 64
        for i in 1..<pts.count where scan.key[i] && pts[i] > prefixMax[i - 1] {
            let at = seconds(pts[i])
            guard at - lastStart >= minimumSeconds, lastShown - at >= minimumSeconds / 2 else { continue }
            let closed = i + 1 >= pts.count || suffixMin[i + 1] > pts[i]
            var previous = countedMax[i - 1]
            if !closed {
                let scanEnd = min(pts.count, i + 1 + leadingWindow)
                if scanEnd < pts.count && suffixMin[scanEnd] < pts[i] { continue }   // leading pictures too far on
                for j in (i + 1)..<scanEnd where pts[j] < pts[i] && counts[j] { previous = max(previous, pts[j]) }
            }
            guard previous != Int64.min else { continue }
            boundaries.append(Boundary(ticks: pts[i], previous: previous, closed: closed, position: scan.position[i]))
            lastStart = at
        }
        guard !boundaries.isEmpty else {
            return VideoSegmentPlan(segments: [.whole],
                                    singleReason: "no keyframe splits the video into parts of \(minimumSeconds) s or more",
                                    samplesAnchorFrames: anchors, anchorReason: anchorReason)
        }

        var segments = [VideoSegment(start: nil, end: boundaries[0].ticks, startSeconds: nil,
                                     endSeconds: seconds(boundaries[0].ticks), previousTimestamp: nil, origin: nil,
                                     startPosition: -1, stopsAtEndPacket: boundaries[0].closed)]
        for (k, boundary) in boundaries.enumerated() {
            let next = k + 1 < boundaries.count ? boundaries[k + 1] : nil
            segments.append(VideoSegment(start: boundary.ticks, end: next?.ticks, startSeconds: seconds(boundary.ticks),
                                         endSeconds: next.map { seconds($0.ticks) },
                                         previousTimestamp: seconds(boundary.previous), origin: origin,
                                         startPosition: boundary.position, stopsAtEndPacket: next?.closed ?? false))
        }
        return VideoSegmentPlan(segments: segments, singleReason: nil, samplesAnchorFrames: anchors,
                                anchorReason: anchorReason)
    }

    private static func single(_ reason: String, anchors: String) -> VideoSegmentPlan {
        VideoSegmentPlan(segments: [.whole], singleReason: reason, samplesAnchorFrames: false, anchorReason: anchors)
    }
}

/// Presentation timestamps and keyframe flags of every packet of the video stream, in decode order, and
/// for H.264 which packets are anchor frames (I/P reference pictures).
private struct PacketScan {
    var pts: [Int64] = []
    var key: [Bool] = []
    var anchor: [Bool] = []
    /// Why anchor-frame sampling is ruled out by the packets themselves (nil: it is not).
    var anchorProblem: String?
    /// Byte positions in the file (-1: unknown).
    var position: [Int64] = []
    /// Set when the stream cannot be split safely.
    var problem: String?

    init(input: MediaInput) {
        let format = input.format
        for i in 0..<Int(format.pointee.nb_streams) where i != Int(input.streamIndex) {
            format.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }
        guard let packet = av_packet_alloc() else {
            problem = "out of memory"
            return
        }
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&owned) }
        let parameters = input.stream.pointee.codecpar.pointee
        var analyzer: H264ReferenceAnalyzer?
        if parameters.codec_id == AV_CODEC_ID_H264 {
            let extradata = parameters.extradata.map { [UInt8](UnsafeBufferPointer(start: $0, count: Int(parameters.extradata_size))) } ?? []
            analyzer = H264ReferenceAnalyzer(extradata: extradata)
        } else {
            anchorProblem = "not H.264"
        }
        while true {
            let status = av_read_frame(format, packet)
            if status < 0 {
                if status != FFmpeg.eof { problem = "the file cannot be read to its end" }
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == input.streamIndex else { continue }
            if packet.pointee.pts == FFmpeg.noPTS {
                problem = "video packets without presentation timestamps"
                return
            }
            if packet.pointee.flags & AV_PKT_FLAG_DISCARD != 0 {
                problem = "an edit list drops frames"
                return
            }
            pts.append(packet.pointee.pts)
            key.append(packet.pointee.flags & AV_PKT_FLAG_KEY != 0)
            var isAnchor = false
            if anchorProblem == nil, analyzer != nil {
                let facts = analyzer!.add(packet: UnsafeRawBufferPointer(start: packet.pointee.data,
                                                                         count: Int(packet.pointee.size)))
                if let reason = analyzer!.unsafeReason {
                    anchorProblem = reason
                } else if let facts {
                    isAnchor = facts.isReference && !facts.isBidirectional
                } else {
                    anchorProblem = "a video packet holds no picture"
                }
            }
            anchor.append(isAnchor)
            position.append(packet.pointee.pos)
        }
    }
}
