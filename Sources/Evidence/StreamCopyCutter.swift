import CFFmpeg
import Foundation

/// What a cut produced.
public struct ClipResult: Sendable, Equatable {
    /// Where the clip really starts and ends in the recording (seconds): a stream-copied clip starts at
    /// the keyframe at or before the requested start.
    public var start: Double
    public var end: Double
    /// Video frames written.
    public var frames: Int
}

/// Cuts a span of a recording without re-encoding (fast, no quality loss): the video and audio packets
/// are copied from the video keyframe at or before the requested start (a clip can only start on a
/// keyframe without decoding) up to the requested end, with timestamps shifted so the clip starts at 0.
public enum StreamCopyCutter {
    /// The container the clip of `recording` needs (`mp4` unless one of its codecs does not fit MP4).
    public static func fileExtension(forRecordingAt recording: String) throws -> String {
        let source = try SourceMedia(path: recording)
        let codecs = [source.video, source.audio].compactMap { $0?.pointee.codecpar.pointee.codec_id }
        return MediaOutput.container(for: codecs).fileExtension
    }

    /// Copies [start, end) of the recording at `recording` into a new file at `output` (format from
    /// `fileExtension(forRecordingAt:)`) whose comment tag is `comment`.
    public static func cut(recording: String, start: Double, end: Double, to output: String,
                           comment: String) throws -> ClipResult {
        let source = try SourceMedia(path: recording)
        let codecs = [source.video, source.audio].compactMap { $0?.pointee.codecpar.pointee.codec_id }
        let sink = try MediaOutput(path: output, format: MediaOutput.container(for: codecs).format, comment: comment)
        let videoOut = try sink.addCopy(of: source.video)
        let audioOut = try source.audio.map { try sink.addCopy(of: $0) }
        try sink.open()
        try source.seek(to: start)

        guard let packet = av_packet_alloc() else {
            throw EvidenceError.media(path: source.displayPath, operation: "allocating a packet", reason: "out of memory")
        }
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&owned) }
        var offset: Double?           // the first keyframe's time: becomes 0 in the clip
        var offsetTicks: Int64 = 0    // the same in the video stream's ticks
        var last = start
        var frames = 0
        var videoDone = false, audioDone = source.audio == nil
        while !(videoDone && audioDone) {
            let status = av_read_frame(source.format, packet)
            if status == AV.eof { break }
            guard status >= 0 else {
                throw EvidenceError.media(path: source.displayPath, operation: "reading", reason: AV.message(status))
            }
            defer { av_packet_unref(packet) }
            let index = packet.pointee.stream_index
            let isVideo = index == source.video.pointee.index
            guard isVideo || index == source.audio?.pointee.index,
                  let stream = isVideo ? Optional(source.video) : source.audio else { continue }
            let pts = packet.pointee.pts, dts = packet.pointee.dts
            let stamp = pts != AV.noPTS ? pts : dts
            guard stamp != AV.noPTS else { continue }
            let time = source.seconds(stamp, of: stream)
            if isVideo {
                if offset == nil {
                    guard packet.pointee.flags & AV_PKT_FLAG_KEY != 0 else { continue }
                    offset = time
                    offsetTicks = stamp
                }
                let order = source.seconds(dts != AV.noPTS ? dts : stamp, of: stream)
                if order >= end - 1e-6 { videoDone = true; continue }
                frames += 1
                last = max(last, time + frameDuration(packet, stream))
            } else {
                guard let offset, time >= offset - 1e-6 else { continue }
                if time >= end - 1e-6 { audioDone = true; continue }
            }
            guard offset != nil else { continue }
            let shift = isVideo ? offsetTicks
                : av_rescale_q(offsetTicks, source.video.pointee.time_base, stream.pointee.time_base)
            if packet.pointee.pts != AV.noPTS { packet.pointee.pts -= shift }
            if packet.pointee.dts != AV.noPTS { packet.pointee.dts -= shift }
            av_packet_rescale_ts(packet, stream.pointee.time_base, (isVideo ? videoOut : audioOut!).pointee.time_base)
            packet.pointee.stream_index = (isVideo ? videoOut : audioOut!).pointee.index
            packet.pointee.pos = -1
            try sink.write(packet)
        }
        try sink.finish()
        guard let offset, frames > 0 else {
            throw EvidenceError.media(path: source.displayPath, operation: "cutting \(start)–\(end) s",
                                      reason: "no video frame in that span")
        }
        return ClipResult(start: offset, end: last, frames: frames)
    }

    private static func frameDuration(_ packet: UnsafeMutablePointer<AVPacket>, _ stream: UnsafeMutablePointer<AVStream>) -> Double {
        if packet.pointee.duration > 0 { return Double(packet.pointee.duration) * AV.double(stream.pointee.time_base) }
        let rate = AV.double(stream.pointee.avg_frame_rate)
        return rate > 0 ? 1 / rate : 0
    }
}
