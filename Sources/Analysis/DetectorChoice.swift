import FaceDetection
import Foundation
import SessionStore

/// Which face-detection cascade an analysis uses: OpenCV's frontal-face Haar cascade (the default), its
/// improved frontal-face LBP cascade (faster, a little less sensitive), or any OpenCV cascade XML file.
public enum DetectorChoice: Sendable, Equatable {
    case haar
    case lbp
    case file(URL)

    /// Parses `haar`, `lbp` or a file path.
    public init(argument: String) {
        switch argument.lowercased() {
        case "haar": self = .haar
        case "lbp": self = .lbp
        default: self = .file(URL(fileURLWithPath: argument))
        }
    }

    /// The cascade file.
    public var url: URL {
        switch self {
        case .haar: Cascade.defaultHaarURL
        case .lbp: Cascade.defaultLBPURL
        case let .file(url): url
        }
    }

    /// The detector's name as stored with a run (`haar-frontalface-default`, `lbp-frontalface-improved`,
    /// or `cascade:<file name>`).
    public var name: String {
        switch self {
        case .haar: "haar-frontalface-default"
        case .lbp: "lbp-frontalface-improved"
        case let .file(url): "cascade:\(url.lastPathComponent)"
        }
    }

    /// Whether this is one of the cascades of Debian's `opencv-data`.
    public var isBuiltIn: Bool {
        if case .file = self { return false }
        return true
    }

    /// Loads the cascade. Throws a one-line `AnalysisError` naming the file when it is missing or invalid
    /// (for the built-in cascades, with a hint to install `opencv-data`).
    public func load() throws -> Cascade {
        do {
            return try Cascade(contentsOf: url)
        } catch let error as CascadeError {
            if error.kind == .unreadable, isBuiltIn {
                throw AnalysisError("\(error) (the built-in cascades come from the Debian package opencv-data; run scripts/setup.sh)")
            }
            throw AnalysisError(error.description)
        }
    }

    /// A digest identifying the cascade's content, stored in the run's detector parameters for cascade
    /// files given by path (two different files with one name must not count as the same settings).
    func contentDigest() throws -> String? {
        guard case let .file(url) = self else { return nil }
        return try ContentHash.sha256(fileAt: url)
    }
}
