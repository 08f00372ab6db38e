import FileNames
import Foundation
import VideoIO

/// What `emotelab probe` reports about one video: the container's description of the chosen stream, the
/// number of frames that actually decode, and (when asked) the timestamps sampled at a rate.
struct ProbeReport: Encodable {
    let file: String
    let info: VideoInfo
    let decodedFrameCount: Int
    let sampleRate: Double?
    let sampledTimestamps: [Double]?
    /// Whether analyze samples only the anchor frames (H.264 I/P reference pictures) at `sampleRate`, and
    /// if not, why (`VideoSegmentPlan`); nil without a rate.
    let samplesAnchorFrames: Bool?
    let anchorReason: String?
    let warnings: [String]

    /// Decodes the whole of `url` once. With `sampleRate`, every frame is still decoded (so the frame count
    /// is complete) and the delivered frames' timestamps are the sampled ones; when analyze would sample
    /// the anchor frames alone, a second reading in that mode gives the timestamps analyze samples. Only
    /// timestamps are kept, so delivered frames are converted at a small width.
    init(url: URL, sampleRate: Double?, videoStream: Int? = nil) throws {
        let options = VideoReadOptions(sampleRate: sampleRate, maxWidth: 64, skipsUndeliverableFrames: false,
                                       videoStream: videoStream)
        let reader = try VideoReader(url: url, options: options)
        var timestamps: [Double] = []
        while let frame = try reader.next() { timestamps.append(frame.timestamp) }
        let plan = try sampleRate.flatMap { try? VideoSegmentPlan.make(url: url, sampleRate: $0, videoStream: videoStream) }
        samplesAnchorFrames = sampleRate == nil ? nil : plan?.samplesAnchorFrames ?? false
        anchorReason = sampleRate == nil ? nil : plan.map { $0.anchorReason } ?? "the video cannot be planned"
        if let plan, plan.samplesAnchorFrames {
            let anchors = try VideoReader(url: url, options: plan.readOptions(options))
            timestamps = []
            while let frame = try anchors.next() { timestamps.append(frame.timestamp) }
        }
        file = RawFileName.displayed(url.relativePath)     // bytes that are not UTF-8 as \xNN
        info = reader.info
        decodedFrameCount = reader.decodedFrameCount
        self.sampleRate = sampleRate
        sampledTimestamps = sampleRate == nil ? nil : timestamps
        warnings = reader.warnings
    }

    private enum Key: String, CodingKey {
        case file, container, containerDescription, streamIndex, streamCount, codec, codecDescription
        case width, height, pixelAspect, rotation, duration, averageFrameRate, declaredFrameCount, decodedFrameCount
        case otherVideoStreams
        case sampleRate, sampledTimestamps, samplesAnchorFrames, anchorReason, warnings
    }

    /// Every key is always present (unknown values are `null`), so scripts can rely on the shape.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(file, forKey: .file)
        try c.encode(info.container, forKey: .container)
        try c.encode(info.containerDescription, forKey: .containerDescription)
        try c.encode(info.streamIndex, forKey: .streamIndex)
        try c.encode(info.streamCount, forKey: .streamCount)
        try c.encode(info.codec, forKey: .codec)
        try c.encode(info.codecDescription, forKey: .codecDescription)
        try c.encode(info.width, forKey: .width)
        try c.encode(info.height, forKey: .height)
        try c.encode(info.pixelAspect, forKey: .pixelAspect)
        try c.encode(info.rotation, forKey: .rotation)
        try c.encode(info.duration, forKey: .duration)
        try c.encode(info.averageFrameRate, forKey: .averageFrameRate)
        try c.encode(info.declaredFrameCount, forKey: .declaredFrameCount)
        try c.encode(decodedFrameCount, forKey: .decodedFrameCount)
        try c.encode(info.otherVideoStreams, forKey: .otherVideoStreams)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(sampledTimestamps, forKey: .sampledTimestamps)
        try c.encode(samplesAnchorFrames, forKey: .samplesAnchorFrames)
        try c.encode(anchorReason, forKey: .anchorReason)
        try c.encode(warnings, forKey: .warnings)
    }

    /// Pretty-printed JSON with sorted keys.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A two-column text table for people.
    func table() -> String {
        func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
        var rows: [(String, String)] = [
            ("file", file),
            ("container", "\(info.container) (\(info.containerDescription))"),
            ("video stream", "\(info.streamIndex) of \(info.streamCount) streams"
                + (info.otherVideoStreams.isEmpty ? ""
                    : "; other video streams: " + info.otherVideoStreams.map(\.description).joined(separator: ", "))),
            ("codec", "\(info.codec) (\(info.codecDescription))"),
            ("size", "\(info.width)x\(info.height)" + (info.pixelAspect.map {
                String(format: " (stored with non-square pixels, %.4g:1; shown and analysed stretched to this)", $0)
            } ?? "")),
            ("rotation", "\(info.rotation)°"),
            ("duration", info.duration.map { seconds($0) + " s" } ?? "unknown"),
            ("average frame rate", info.averageFrameRate.map { String(format: "%.3f fps", $0) } ?? "unknown"),
            ("decoded frames", "\(decodedFrameCount)"),
        ]
        if let sampleRate, let sampledTimestamps {
            rows.append(("sampled at \(Self.rateText(sampleRate))/s", "\(sampledTimestamps.count) frames"))
            rows.append(("frames sampled from", samplesAnchorFrames == true
                ? "I/P reference frames only (B and non-reference frames are never decoded)"
                : "all frames (anchor frames alone: \(anchorReason ?? "no"))"))
            let lines = stride(from: 0, to: sampledTimestamps.count, by: 10).map { start in
                sampledTimestamps[start..<min(start + 10, sampledTimestamps.count)].map(seconds)
                    .joined(separator: " ")
            }
            for (i, line) in lines.enumerated() { rows.append((i == 0 ? "sampled timestamps (s)" : "", line)) }
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    /// `4` for 4.0, `2.5` for 2.5.
    static func rateText(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int64(rate)) : String(rate)
    }
}
