import FaceDetection
import Foundation
import SessionStore

/// Which face detector an analysis uses: MediaPipe's BlazeFace short range (the default: a small network
/// giving a 0–1 score and eye keypoints, so crops are turned upright), OpenCV's frontal-face Haar cascade, its
/// improved frontal-face LBP cascade (faster, a little less sensitive), or any OpenCV cascade XML file.
public enum DetectorChoice: Sendable, Equatable {
    case blazeface
    case haar
    case lbp
    case file(URL)

    /// The detector `analyze` and `evaluate --through-detector` use unless told otherwise.
    public static let standard = DetectorChoice.blazeface

    /// Parses `blazeface`, `haar`, `lbp` or a cascade file path.
    public init(argument: String) {
        switch argument.lowercased() {
        case "blazeface": self = .blazeface
        case "haar": self = .haar
        case "lbp": self = .lbp
        default: self = .file(URL(fileURLWithPath: argument))
        }
    }

    /// The cascade file, for the cascade detectors; nil for BlazeFace.
    public var cascadeURL: URL? {
        switch self {
        case .blazeface: nil
        case .haar: Cascade.defaultHaarURL
        case .lbp: Cascade.defaultLBPURL
        case let .file(url): url
        }
    }

    /// The detector's name as stored with a run (`blazeface-short-range`, `haar-frontalface-default`,
    /// `lbp-frontalface-improved`, or `cascade:<file name>`).
    public var name: String {
        switch self {
        case .blazeface: "blazeface-short-range"
        case .haar: "haar-frontalface-default"
        case .lbp: "lbp-frontalface-improved"
        case let .file(url): "cascade:\(url.lastPathComponent)"
        }
    }

    /// Whether this is BlazeFace or one of the cascades of Debian's `opencv-data`.
    public var isBuiltIn: Bool {
        if case .file = self { return false }
        return true
    }

    /// How the classifier's crop frames this detector's boxes (FER2013's framing; see `FaceCrop`).
    public var framing: FaceFraming {
        self == .blazeface ? .blazeFace : .haar
    }

    /// Loads the detector: the cascade, or the BlazeFace weights (`BlazeFaceWeights`). Throws a one-line
    /// `AnalysisError` naming the file when it is missing or invalid (for the built-in cascades, with a hint
    /// to install `opencv-data`).
    public func load() throws -> LoadedDetector {
        if self == .blazeface {
            do {
                let (url, network) = try BlazeFaceWeights.loadInstalled()
                let digest: String
                do {
                    digest = try ContentHash.sha256(fileAt: url)
                } catch {
                    throw AnalysisError("BlazeFace weights \(url.path): cannot be read")
                }
                return LoadedDetector(choice: self, kind: .blazeFace(network), digest: digest)
            } catch let error as BlazeFaceWeightsError {
                throw AnalysisError(error.description)
            }
        }
        let url = cascadeURL!
        let cascade: Cascade
        do {
            cascade = try Cascade(contentsOf: url)
        } catch let error as CascadeError {
            if error.kind == .unreadable, isBuiltIn {
                throw AnalysisError("\(error) (the built-in cascades come from the Debian package opencv-data; run scripts/setup.sh)")
            }
            throw AnalysisError(error.description)
        }
        var digest: String?
        if case .file = self {
            do {
                digest = try ContentHash.sha256(fileAt: url)
            } catch {
                throw AnalysisError("cascade \(url.path): cannot be read")
            }
        }
        return LoadedDetector(choice: self, kind: .cascade(CascadeDetector(cascade: cascade, threadCount: 1)), digest: digest)
    }
}

/// A detector loaded for analysis: shared read-only between the files of a batch; each analysis makes its own
/// `FaceDetector` (`makeDetector`), as detectors keep scratch buffers.
public struct LoadedDetector: @unchecked Sendable {
    public enum Kind {
        /// A cascade detector (safe to share between threads).
        case cascade(CascadeDetector)
        /// BlazeFace's network, the prototype: each analysis or worker thread runs its own `replica()`.
        case blazeFace(BlazeFaceNetwork)
    }

    public let choice: DetectorChoice
    public let kind: Kind
    /// SHA-256 of the weights (BlazeFace) or of a cascade given by path; nil for the built-in cascades
    /// (stored with the run's settings: two different files with one name must not count as the same settings).
    public let digest: String?

    /// A whole-frame detector: BlazeFace with `minimumFaceSide` (frame pixels; its tiles find faces down to
    /// that size), or the cascade with `parameters`.
    public func makeDetector(parameters: DetectionParameters = .standard, minimumFaceSide: Double = 0) -> FaceDetector {
        switch kind {
        case let .cascade(detector):
            CascadeFaceDetector(detector: detector, parameters: parameters, framing: choice.framing)
        case let .blazeFace(network):
            BlazeFaceDetector(network: network.replica(), configuration: Self.blazeFaceConfiguration(minimumFaceSide: minimumFaceSide))
        }
    }

    /// BlazeFace's settings for a run whose smallest face is `minimumFaceSide` frame pixels. The minimum
    /// (`--min-face`) is measured as the cascades measure faces, by their square window; BlazeFace boxes the
    /// same face tighter (its FER2013 framing adds 8 % a side where Haar's adds 2 %), so its smallest box is
    /// 1.04 / 1.16 of that: both detectors then look for faces down to the same size.
    public static func blazeFaceConfiguration(minimumFaceSide: Double) -> BlazeFaceConfiguration {
        BlazeFaceConfiguration(minimumFaceSide: FaceFraming.blazeFace.boxSide(minimumFaceSide, convertedFrom: .haar))
    }
}
