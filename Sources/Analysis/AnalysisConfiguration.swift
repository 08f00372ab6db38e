import FaceDetection
import Foundation

/// The settings of an analysis that shape its results (stored with the run, so a re-analysis with equal
/// settings replaces the older run) and the resources it may use.
public struct AnalysisConfiguration: Sendable, Equatable {
    /// Samples per second of video, chosen by timestamp.
    public var sampleRate: Double = 4
    /// Frames are scaled down to at most this width for detection and cropping (boxes are stored in
    /// source pixels).
    public var detectionWidth: Int = 640
    /// The face detector (BlazeFace by default).
    public var detector: DetectorChoice = .standard
    /// The smallest face side searched for, in source-video pixels; nil: a tenth of the frame height.
    public var minimumFace: Int?
    /// Cascade pyramid step (OpenCV's `scaleFactor`).
    public var scaleFactor: Double = 1.1
    /// Overlapping raw hits a face needs (OpenCV's `minNeighbors`).
    public var minimumNeighbors: Int = 5
    /// Fraction of the face box added on each side of the classifier's crop; nil: the detector's own
    /// (`DetectorChoice.framing`, measured to frame faces as FER2013 does).
    public var cropMargin: Double?
    /// Faces classified per forward pass.
    public var batchSize: Int = 32
    /// Sample records written per database transaction (at least).
    public var recordsPerTransaction: Int = 256
    /// Frames the decoder thread may run ahead of detection.
    public var queueCapacity: Int = 8
    /// Decode threads: with more than one, the video is split at keyframes and the parts are decoded at
    /// the same time (`FrameSource`), with the frames delivered exactly as one decoder would. 0: automatic,
    /// one per core (at most 4) — see `resolvedDecoders(jobs:)`.
    public var decoders: Int = 0
    /// Decode exactly (with the in-loop deblocking filter). Off by default: skipping the filter saves
    /// about a quarter of H.264 decode time, the bottleneck of the pipeline, and barely changes a face
    /// scaled to 48×48 (see `VideoReadOptions.skipsLoopFilter`).
    public var exactDecode = false
    /// The container stream to analyse, by index (screen and camera recorded as two video streams); nil:
    /// the video stream FFmpeg ranks best. Stored with the run's settings when given.
    public var videoStream: Int?
    /// Test hook: sleep this long after each analysed frame (to interrupt a run mid-way). Not stored.
    public var frameDelay: Double = 0

    public init() {}

    /// Checks the values; throws a one-line `AnalysisError` naming the bad option.
    /// What `validate` calls the settings in its messages; the CLI passes its option names.
    public struct SettingNames: Sendable {
        public var detectionWidth = "detection width"
        public var minimumFace = "minimum face size"
        public var scaleFactor = "scale factor"
        public var minimumNeighbors = "minimum neighbours"
        public init() {}
    }

    /// The sampling rates accepted, in samples per second: from one an hour (a slower rate samples
    /// nothing but the first frame of any real recording) to 1000.
    public static let sampleRates: ClosedRange<Double> = (1.0 / 3600)...1000

    public func validate(names: SettingNames = SettingNames()) throws {
        guard Self.sampleRates.contains(sampleRate) else {
            throw AnalysisError("sampling rate must be between one sample an hour (1/3600) and 1000 samples per "
                                + "second, got \(sampleRate)")
        }
        guard detectionWidth >= 32 else { throw AnalysisError("\(names.detectionWidth) must be at least 32 pixels, got \(detectionWidth)") }
        if let minimumFace, minimumFace < 1 {
            throw AnalysisError("\(names.minimumFace) must be at least 1 pixel, got \(minimumFace)")
        }
        guard scaleFactor.isFinite, scaleFactor > 1, scaleFactor <= 2 else {
            throw AnalysisError("\(names.scaleFactor) must be greater than 1 and at most 2, got \(scaleFactor)")
        }
        guard minimumNeighbors >= 1 else { throw AnalysisError("\(names.minimumNeighbors) must be at least 1, got \(minimumNeighbors)") }
        if let cropMargin {
            guard cropMargin.isFinite, cropMargin >= 0, cropMargin <= 1 else {
                throw AnalysisError("crop margin must be between 0 and 1, got \(cropMargin)")
            }
        }
        guard batchSize >= 1, recordsPerTransaction >= 1, queueCapacity >= 1, decoders >= 0 else {
            throw AnalysisError("batch size, records per transaction and queue capacity must be positive")
        }
    }

    /// The scale from source pixels to detection pixels for a `width`-pixel-wide video (≤ 1).
    func detectionScale(sourceWidth width: Int) -> Double {
        width > detectionWidth ? Double(detectionWidth) / Double(width) : 1
    }

    /// The decode threads of one file when `jobs` files are analysed at once: `decoders`, or when that is
    /// 0, the cores left per file (at least 1, at most 4).
    public func resolvedDecoders(jobs: Int = 1) -> Int {
        if decoders > 0 { return decoders }
        return max(1, min(4, ProcessInfo.processInfo.activeProcessorCount / max(1, jobs)))
    }

    /// The smallest face side in source pixels for a video `height` pixels high.
    func minimumFaceSide(sourceHeight height: Int) -> Int {
        minimumFace ?? max(1, height / 10)
    }

    /// The detection parameters for a video of the given source size: the minimum face converted to
    /// detection pixels.
    func detectionParameters(sourceWidth: Int, sourceHeight: Int) throws -> DetectionParameters {
        let scale = detectionScale(sourceWidth: sourceWidth)
        let side = Int((Double(minimumFaceSide(sourceHeight: sourceHeight)) * scale).rounded(.down))
        do {
            return try DetectionParameters(scaleFactor: scaleFactor, minNeighbors: minimumNeighbors,
                                           minSize: PixelSize(width: side, height: side))
        } catch let error as DetectionParameterError {
            throw AnalysisError(error.description)
        }
    }

    /// The crop framing: the detector's, with `cropMargin` in place of its margin when set.
    var framing: FaceFraming {
        var framing = detector.framing
        if let cropMargin { framing.margin = cropMargin }
        return framing
    }

    /// The detector parameters stored with a run, as a JSON object (the store sorts the keys). `digest`: the
    /// BlazeFace weights' or a cascade file's SHA-256 (`LoadedDetector.digest`).
    func detectorParametersJSON(digest: String?) -> String {
        var object: [String: Any] = [
            "detection_width": detectionWidth,
            "crop_margin": framing.margin,
            "min_face": minimumFace.map { $0 as Any } ?? "frame_height/10",
            "exact_decode": exactDecode,
        ]
        if detector == .blazeface {
            let blazeFace = BlazeFaceConfiguration()
            object["score_threshold"] = Double(blazeFace.minimumScore)
            object["partial_view_score_threshold"] = Double(blazeFace.partialViewMinimumScore)
            object["tile_cycle_s"] = BlazeFaceSearch.defaultTileCycle
            object["tile_layout"] = "pyramid"
            object["crop_lift"] = framing.lift
            object["aligned_crops"] = true
            if let digest { object["weights_sha256"] = digest }
        } else {
            object["scale_factor"] = scaleFactor
            object["min_neighbors"] = minimumNeighbors
            if let digest { object["cascade_sha256"] = digest }
        }
        if let videoStream { object["video_stream"] = videoStream }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
