import CFFmpeg
import Foundation

/// Reads a video (any file FFmpeg can demux) as timestamped, upright 8-bit gray frames, one at a time.
///
/// ```swift
/// let reader = try VideoReader(url: url, options: VideoReadOptions(sampleRate: 4, maxWidth: 640))
/// while let frame = try reader.next() { … }
/// for warning in reader.warnings { … }      // e.g. a truncated file
/// ```
///
/// - The video stream is the one `av_find_best_stream` picks (audio may come first in the container).
/// - Timestamps are `best_effort_timestamp × time_base` in seconds from the container's start time, so
///   variable frame rates, edit lists (applied by FFmpeg's demuxer and decoder) and clocks that do not start
///   at zero (transport streams) come out as a player shows them. A frame without any
///   timestamp gets the previous one plus one average frame duration.
/// - Pictures are turned upright from the display matrix (as `ffmpeg`'s autorotate does) and scaled by
///   swscale to `maxWidth` when wider.
/// - With `sampleRate` set, frames are chosen by timestamp as `FrameSampler` documents; frames that are not
///   delivered are never converted to gray. For H.264 the decoder may also skip a *non-reference* frame, but
///   only when the frame's packet pts is before the sampler's next target: the target never moves backwards
///   and skipping an undelivered frame cannot move it, so that frame would not have been delivered whatever
///   else the decoder returned first. This needs the frame's timestamp to be its packet's pts, which
///   FFmpeg's best-effort timestamp is unless the stream's pts are broken; the reader checks every decoded
///   frame and stops skipping for good at the first frame where they differ. Other codecs are decoded fully
///   (HEVC's "non-reference" pictures may still be referenced by higher temporal layers). With
///   `anchorFramesOnly` (set from a `VideoSegmentPlan` that proved it safe) only H.264's I and P reference
///   pictures are decoded at all, and the sampler chooses among them.
/// - `begin(_:)` repositions the reader on one `VideoSegment` of a `VideoSegmentPlan`, so that several
///   readers can decode one video in parallel, each delivering exactly the frames of its segment that a
///   reading of the whole video delivers; `next()` returns nil at the segment's end.
/// - Memory stays flat: one packet and one frame are reused; only delivered images are allocated.
/// - A read error (e.g. a file cut mid-stream) ends the video: frames before it are delivered and a line
///   is added to `warnings`. Frames that fail to decode are dropped and counted in a warning.
/// - A recording joined from parts (transport streams `cat`-ed together, a recorder's clock reset) has
///   timestamps that jump back by more than 1 s, or, in formats with timestamp discontinuities
///   (MPEG-TS/PS), more than 10 s ahead (`isClockJump`). The frames after such a jump continue the clock one frame after the last one (as a player
///   plays on), so the whole recording is analysed, and a warning says where it jumped.
public final class VideoReader {
    /// What the container says about the file and the chosen stream.
    public let info: VideoInfo
    /// The options the reader was opened with.
    public let options: VideoReadOptions
    /// One-line problems found while reading (each names the file); complete once `next()` returned nil.
    public private(set) var warnings: [String] = []
    /// Frames the decoder returned so far (delivered or not; frames skipped undecoded are not included).
    public private(set) var decodedFrameCount = 0
    /// Frames delivered by `next()` so far.
    public private(set) var deliveredFrameCount = 0

    private let input: MediaInput
    private let converter: GrayConverter
    private var sampler: FrameSampler?
    private let timeBase: AVRational
    private let maySkipNonReference: Bool
    /// B and non-reference pictures are discarded by the decoder (`VideoReadOptions.anchorFramesOnly`).
    private let anchorsOnly: Bool
    private var timestampsArePTS = true
    private let packet: UnsafeMutablePointer<AVPacket>
    private let frame: UnsafeMutablePointer<AVFrame>
    private var draining = false
    private var finished = false
    private var lastTimestamp: Double?
    /// Seconds added to every timestamp after timestamp jumps (see the type's notes).
    private var clockOffset = 0.0
    /// The container may restart or jump its clock (`AVFMT_TS_DISCONT`: MPEG-TS/PS).
    private let clockMayJump: Bool
    /// The latest packet time seen, to notice a jump before the frames after it are skipped or sampled.
    private var latestPacketTime: Double?
    /// Timestamp jumps corrected so far, and the first one (from, to).
    private var clockJumps = 0
    private var firstClockJump: (from: Double, to: Double)?
    /// The packets' clock jumped in this segment: skipping by packet time stops.
    private var packetClockJumped = false

    /// Whether a step of the clock from `last` to `time` (seconds) is a jump: more than 1 s back, or, in a
    /// container whose clock may jump (`mayJumpAhead`), more than 10 s ahead. `VideoSegmentPlan` applies the
    /// same rule to the packets (in decode order a jump back shows at least as large), so a video whose
    /// frames could jump is never split.
    static func isClockJump(from last: Double, to time: Double, mayJumpAhead: Bool) -> Bool {
        time < last - 1 || (mayJumpAhead && time > last + 10)
    }

    /// After a reading whose clock jumped (see the type's notes): how long the recording plays, from its
    /// start to the end of its last frame on the continued clock; the container's duration then comes from
    /// the jumping clock and means little. Nil when the clock did not jump.
    public var playedDuration: Double? {
        guard clockJumps > 0, let last = lastTimestamp else { return nil }
        return last + (info.averageFrameRate.map { 1 / $0 } ?? 0)
    }

    /// The span at the video's start whose packets were read but gave no frame (from the earliest packet
    /// time to the first decoded frame), when it is longer than a decoder's usual leading pictures (see
    /// `leadingLossThreshold`): a file that starts inside a group of pictures, say a transport stream cut
    /// anywhere. Seconds; nil when the start decoded (or the reading does not start at the video's start).
    public private(set) var undecodableStart: (from: Double, to: Double)?
    /// The earliest packet time read before the first frame came out (readings from the video's start).
    private var earliestLeadingPacketTime: Double?

    /// How long a stretch at the start may give no frame without a warning: the leading pictures of an
    /// open group of pictures (x264 puts up to 3 B-frames there) are dropped by every decoder.
    var leadingLossThreshold: Double { max(0.1, 4 / (info.averageFrameRate ?? 30)) }

    private var packetsRead = 0
    private var droppedFrames = 0
    /// Frames the decoder delivered with errors it covered up (error concealment, missing references).
    private var concealedFrames = 0
    /// Frames decoded with errors the decoder covered up (so far, across segments).
    public var concealedFrameCount: Int { concealedFrames }
    /// Frames that failed to decode so far (across segments).
    public var droppedFrameCount: Int { droppedFrames }
    private var readError: Int32?
    private var skippingNonReference = false
    private var finishedReporting = false
    /// The segment being read (`VideoSegment.whole` unless `begin(_:)` was called).
    private var segment = VideoSegment.whole
    /// Whether no packet has been read yet (a segment starting at the video's start needs that).
    private var fresh = true
    /// After a seek: the first packet read is checked against the segment start.
    private var checksSeekLanding = false

    /// Opens `url` and its best video stream. Throws a `VideoIOError` naming the file and the problem.
    public init(url: URL, options: VideoReadOptions = .init()) throws {
        try options.validate()
        let input = try MediaInput(url: url, threads: options.threads, streamIndex: options.videoStream)
        guard let packet = av_packet_alloc(), let frame = av_frame_alloc() else {
            throw VideoIOError.ffmpeg(path: input.displayPath, operation: "allocating decode buffers",
                                      reason: "out of memory")
        }
        if options.skipsLoopFilter { input.decoder.pointee.skip_loop_filter = AVDISCARD_ALL }
        let orientation = Orientation(displayMatrix: Orientation.displayMatrix(of: input.stream))
        self.input = input
        self.options = options
        self.packet = packet
        self.frame = frame
        info = VideoInfo(input: input, orientation: orientation)
        converter = GrayConverter(maxWidth: options.maxWidth, orientation: orientation,
                                  pixelAspect: info.pixelAspect ?? 1)
        sampler = options.sampleRate.map(FrameSampler.init(rate:))
        timeBase = input.timeBase
        clockMayJump = (input.format.pointee.iformat.pointee.flags & AVFMT_TS_DISCONT) != 0
        let isH264 = input.decoder.pointee.codec_id == AV_CODEC_ID_H264
        anchorsOnly = options.sampleRate != nil && options.anchorFramesOnly && isH264
        maySkipNonReference = options.sampleRate != nil && options.skipsUndeliverableFrames && isH264 && !anchorsOnly
        if anchorsOnly { input.decoder.pointee.skip_frame = AVDISCARD_BIDIR }
        if orientation.isIdentity && orientation.rotation != 0 {
            warnings.append("\(input.displayPath): rotation of \(orientation.rotation)° is not a multiple of 90°; "
                            + "frames are delivered as decoded")
        }
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
    }

    /// Repositions the reader on `segment`: the following `next()` calls deliver the frames of the segment
    /// and then nil. Warnings and frame counts keep accumulating across segments; only a reading of the whole
    /// video checks the container's frame count and throws `noFrames`. A segment starting at the video's
    /// start needs a reader that has not read anything yet.
    /// - Throws: `VideoIOError` when seeking fails or the reader is not fresh for such a segment.
    public func begin(_ segment: VideoSegment) throws {
        if let start = segment.start {
            // MPEG transport/program streams have no index: a seek by time lands up to a part early (correct,
            // but decoded for nothing), one by the keyframe's byte position lands on it.
            let byPosition = segment.startPosition >= 0
                && (input.format.pointee.iformat.pointee.flags & AVFMT_TS_DISCONT) != 0
            let status = byPosition
                ? av_seek_frame(input.format, input.streamIndex, segment.startPosition, AVSEEK_FLAG_BYTE)
                : av_seek_frame(input.format, input.streamIndex, start, AVSEEK_FLAG_BACKWARD)
            guard status >= 0 else {
                throw VideoIOError.ffmpeg(path: input.displayPath,
                                          operation: "seeking to \(segment.startSeconds ?? 0) s",
                                          reason: FFmpeg.errorString(status))
            }
            checksSeekLanding = true
        } else if !fresh {
            throw VideoIOError.invalidOption("a segment from the video's start needs a reader that has not read yet")
        }
        avcodec_flush_buffers(input.decoder)
        self.segment = segment
        draining = false
        finished = false
        finishedReporting = false
        lastTimestamp = segment.previousTimestamp
        clockOffset = 0
        clockJumps = 0
        firstClockJump = nil
        latestPacketTime = nil
        packetClockJumped = false
        if let rate = options.sampleRate, let origin = segment.origin, let previous = segment.previousTimestamp {
            sampler = FrameSampler(rate: rate, origin: origin, resumingAfter: previous)
        } else {
            sampler = options.sampleRate.map(FrameSampler.init(rate:))
        }
        if skippingNonReference {
            input.decoder.pointee.skip_frame = AVDISCARD_DEFAULT
            skippingNonReference = false
        }
    }

    /// The next delivered frame, or nil at the end of the video (or of the segment). Throws
    /// `VideoIOError.noFrames` at the end of a whole-video reading when not a single frame could be decoded.
    public func next() throws -> VideoFrame? {
        var consecutiveErrors = 0
        while !finished {
            let status = avcodec_receive_frame(input.decoder, frame)
            if status == 0 {
                defer { av_frame_unref(frame) }
                if let delivered = deliver(frame) { return delivered }
                consecutiveErrors = 0
            } else if status == FFmpeg.eagain {
                if draining { finished = true } else { feedPacket() }
                consecutiveErrors = 0
            } else if status == FFmpeg.eof {
                finished = true
            } else {
                // A frame that failed to decode: the decoder drops it and carries on with the next packet.
                // A decoder that only ever fails (never asks for input) ends the video.
                droppedFrames += 1
                consecutiveErrors += 1
                if consecutiveErrors > 1_000 { finished = true }
            }
        }
        try finish()
        return nil
    }

    /// Reads the next packet of the video stream and sends it to the decoder; at the end of input (or a read
    /// error) starts draining the decoder.
    private func feedPacket() {
        while true {
            let status = av_read_frame(input.format, packet)
            if status < 0 {
                if status != FFmpeg.eof { readError = status }
                draining = true
                avcodec_send_packet(input.decoder, nil)
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == input.streamIndex else { continue }
            fresh = false
            let pts = packet.pointee.pts
            if checksSeekLanding {
                checksSeekLanding = false
                if let start = segment.start, pts != FFmpeg.noPTS, pts > start, seekToVideoStart() { continue }
            }
            if segment.stopsAtEndPacket, let end = segment.end, pts == end {
                // A closed group of pictures starts here: nothing from this packet on belongs to the segment.
                draining = true
                avcodec_send_packet(input.decoder, nil)
                return
            }
            packetsRead += 1
            if decodedFrameCount == 0, segment.start == nil, pts != FFmpeg.noPTS {
                earliestLeadingPacketTime = min(earliestLeadingPacketTime ?? seconds(pts), seconds(pts))
            }
            if pts != FFmpeg.noPTS {
                // A jump in the packets' clock: the frames' times will no longer be their pts, so skipping by
                // pts stops here, before any frame after the jump could be skipped for its raw time.
                let time = seconds(pts)
                if let latest = latestPacketTime, Self.isClockJump(from: latest, to: time, mayJumpAhead: clockMayJump) {
                    packetClockJumped = true
                }
                latestPacketTime = max(latestPacketTime ?? time, time)
            }
            if maySkipNonReference { setSkipping(for: pts) }
            if avcodec_send_packet(input.decoder, packet) < 0 { droppedFrames += 1 }
            return
        }
    }

    /// After a seek that landed past the segment's start (an imprecise index): reads from the video's
    /// start instead; frames before the segment are decoded but not delivered. False when that fails.
    private func seekToVideoStart() -> Bool {
        av_seek_frame(input.format, -1, Int64.min, AVSEEK_FLAG_BACKWARD) >= 0
            || av_seek_frame(input.format, input.streamIndex, 0, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_BYTE) >= 0
    }

    /// Lets the decoder skip this packet if it is a non-reference frame that cannot be delivered.
    private func setSkipping(for pts: Int64) {
        let skip: Bool
        if timestampsArePTS, !packetClockJumped, pts != FFmpeg.noPTS, let sampler {
            skip = sampler.certainlyRejects(seconds(pts)) || segment.start.map { pts < $0 } == true
                || segment.end.map { pts >= $0 } == true
        } else {
            skip = false
        }
        if skip != skippingNonReference {
            input.decoder.pointee.skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
            skippingNonReference = skip
        }
    }

    /// Timestamps `frame`, asks the sampler, and converts it when it is delivered.
    private func deliver(_ frame: UnsafeMutablePointer<AVFrame>) -> VideoFrame? {
        decodedFrameCount += 1
        if frame.pointee.decode_error_flags != 0 { concealedFrames += 1 }
        let best = frame.pointee.best_effort_timestamp
        if decodedFrameCount == 1, segment.start == nil, best != FFmpeg.noPTS, let earliest = earliestLeadingPacketTime,
           seconds(best) - earliest > leadingLossThreshold {
            undecodableStart = (earliest, seconds(best))
        }
        if best != frame.pointee.pts { timestampsArePTS = false }
        if let end = segment.end, best != FFmpeg.noPTS, best >= end {
            finished = true                     // the next segment's first frame: this segment is complete
            return nil
        }
        // A frame before the segment (decoded for its references) is not on the segment's clock.
        if let start = segment.start, best == FFmpeg.noPTS || best < start { return nil }
        var timestamp: Double
        let step = info.averageFrameRate.map { 1 / $0 } ?? 0
        if best != FFmpeg.noPTS {
            timestamp = seconds(best) + clockOffset
            if let last = lastTimestamp, Self.isClockJump(from: last, to: timestamp, mayJumpAhead: clockMayJump) {
                // Frames come out in presentation order: this is a jump of the clock, not reordering.
                let continued = last + (step > 0 ? step : 1.0 / 30)
                if firstClockJump == nil { firstClockJump = (last, timestamp) }
                clockJumps += 1
                clockOffset += continued - timestamp
                timestamp = continued
            }
        } else {
            timestamp = lastTimestamp.map { $0 + step } ?? 0
        }
        lastTimestamp = timestamp
        if sampler?.accept(timestamp) == false { return nil }
        guard let converted = converter.convert(frame) else {
            droppedFrames += 1
            return nil
        }
        deliveredFrameCount += 1
        return VideoFrame(image: converted.image, timestamp: timestamp,
                          sourceWidth: converted.sourceWidth, sourceHeight: converted.sourceHeight)
    }

    /// `ticks` of the stream's time base in seconds.
    private func seconds(_ ticks: Int64) -> Double { FFmpeg.seconds(ticks, timeBase, origin: input.originTicks) }

    /// When the last decoded frame ends well before the duration the container states (more than a second
    /// and more than 5 % of it), the file was probably cut short: Matroska/WebM and transport streams
    /// reach a clean end of file then, with no read error. A Matroska video track's `DURATION` tag lowers
    /// the expected end (read both as a length from the track's start and as an end time, the smaller
    /// wins), so an audio track that runs on is not taken for a cut. Nil when the video runs its length or
    /// the duration is only FFmpeg's estimate from the bit rate.
    private func endShortfall() -> String? {
        guard clockJumps == 0, let last = lastTimestamp, let duration = info.duration,
              input.format.pointee.duration_estimation_method != AVFMT_DURATION_FROM_BITRATE else { return nil }
        var expected = duration
        if let tagged = VideoInfo.taggedDuration(of: input) {
            expected = min(expected, input.videoStartSeconds + tagged, tagged + seconds(0))
        }
        let frame = info.averageFrameRate.map { 1 / $0 } ?? 0
        guard expected - (last + frame) > max(1, 0.05 * expected) else { return nil }
        return String(format: "the video stops at %.3f s but the container gives it %.3f s", last + frame, expected)
    }

    /// Records end-of-video warnings once; throws when the video produced no frame at all.
    private func finish() throws {
        guard !finishedReporting else { return }
        finishedReporting = true
        let path = input.displayPath
        var problems: [String] = []
        let whole = segment == .whole
        if let lost = undecodableStart {
            problems.append(String(format: "nothing could be decoded from %.3f s to %.3f s (the file starts inside a "
                                   + "group of pictures?)", lost.from, lost.to))
        }
        if let readError {
            problems.append("reading stopped early (\(FFmpeg.errorString(readError)))")
        } else if whole, let declared = info.declaredFrameCount, packetsRead < declared {
            problems.append("the container lists \(declared) video frames but only \(packetsRead) could be read")
        } else if segment.end == nil, let shortfall = endShortfall() {
            problems.append(shortfall)
        }
        if concealedFrames > 0 && whole {
            problems.append(concealedFrames == 1 ? "1 frame was damaged (patched up by the decoder)"
                                                 : "\(concealedFrames) frames were damaged (patched up by the decoder)")
        }
        if let jump = firstClockJump, whole || segment.end == nil {
            let more = clockJumps > 1 ? " and \(clockJumps - 1) more time\(clockJumps > 2 ? "s" : "")" : ""
            warnings.append("\(path): the timestamps jump from " + String(format: "%.3f s to %.3f s", jump.from, jump.to)
                            + "\(more) (a recording joined from parts?); the frames after a jump are analysed as if "
                            + "they followed on")
        }
        if droppedFrames > 0 && whole {
            problems.append(droppedFrames == 1 ? "1 frame could not be decoded"
                                               : "\(droppedFrames) frames could not be decoded")
        }
        if whole && decodedFrameCount == 0 {
            throw VideoIOError.noFrames(path: path, reason: problems.isEmpty ? "the video stream is empty"
                                                                           : problems.joined(separator: "; "))
        }
        if !problems.isEmpty {
            // (In a segment only a read error is reported here; the caller sums `droppedFrameCount`.)
            let end = lastTimestamp.map { String(format: "%.3f s", $0) } ?? "?"
            warnings.append("\(path): file is truncated or damaged: \(problems.joined(separator: "; ")); "
                            + "frames up to \(end) were read")
        }
    }
}
