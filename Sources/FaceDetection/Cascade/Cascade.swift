import Foundation

/// A boosted cascade of weak classifiers in OpenCV's "new" XML layout (`opencv_storage/cascade`,
/// `stageType BOOST`), with Haar-like (upright and 45°-tilted) or multi-block LBP features. This is the
/// model part only; `CascadeDetector` runs it over images.
public struct Cascade: Sendable, Equatable {
    /// The kind of features the weak classifiers test.
    public enum FeatureType: String, Sendable {
        case haar = "HAAR"
        case lbp = "LBP"
    }

    /// One weighted rectangle of a Haar-like feature, in window pixels.
    public struct HaarRect: Sendable, Equatable {
        public let x: Int, y: Int, width: Int, height: Int
        public let weight: Float
    }

    /// A Haar-like feature: the weighted sum of two or three rectangle sums. A tilted feature's
    /// rectangles are rotated by 45°: (x, y) is the top corner, `width` runs down-right and `height`
    /// runs down-left, as in OpenCV.
    public struct HaarFeature: Sendable, Equatable {
        public let rects: [HaarRect]
        public let tilted: Bool
    }

    /// A multi-block LBP feature: a 3×3 grid of `width` × `height` blocks whose top-left block starts at
    /// (x, y); the code compares the eight outer block sums with the centre block sum.
    public struct LBPFeature: Sendable, Equatable {
        public let x: Int, y: Int, width: Int, height: Int
    }

    /// An internal node of a weak decision tree. `left` and `right` are a positive node index in the same
    /// tree or a leaf as zero or a negative number (leaf `-index`). Ordered (Haar) nodes go left when the
    /// normalised feature value is below `threshold`; categorical (LBP) nodes go left when the feature's
    /// code is a member of `categories` (a bit set of `categoryCount` bits in 32-bit words).
    public struct Node: Sendable, Equatable {
        public let left: Int
        public let right: Int
        public let featureIndex: Int
        public let threshold: Float
        public let categories: [Int32]
    }

    /// A weak classifier: a decision tree whose leaves hold the values the stage sums up.
    public struct Tree: Sendable, Equatable {
        public let nodes: [Node]
        public let leaves: [Float]
    }

    /// A stage: the window passes when the sum of its trees' leaf values reaches `threshold`.
    public struct Stage: Sendable, Equatable {
        /// The threshold as written in the file (detection compares against it minus 1e-5, as OpenCV does).
        public let threshold: Float
        public let trees: [Tree]
    }

    public let featureType: FeatureType
    /// The detection window the cascade was trained on, in pixels.
    public let windowWidth: Int
    public let windowHeight: Int
    /// `maxCatCount`: 0 for ordered (Haar) features, 256 for LBP codes.
    public let categoryCount: Int
    public let stages: [Stage]
    /// The feature pool of a Haar cascade (empty for LBP).
    public let haarFeatures: [HaarFeature]
    /// The feature pool of an LBP cascade (empty for Haar).
    public let lbpFeatures: [LBPFeature]

    /// True when some Haar feature is tilted (the detector then builds the tilted integral image).
    public var hasTiltedFeatures: Bool { haarFeatures.contains { $0.tilted } }
    /// True when every weak classifier is a single-node tree (a stump).
    public var isStumpBased: Bool { stages.allSatisfy { $0.trees.allSatisfy { $0.nodes.count == 1 } } }

    /// OpenCV's frontal-face Haar cascade from Debian's `opencv-data` (the default model).
    public static let defaultHaarURL =
        URL(fileURLWithPath: "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
    /// The improved frontal-face LBP cascade from `opencv-data` (the fast option).
    public static let defaultLBPURL =
        URL(fileURLWithPath: "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml")

    /// Loads and validates a cascade XML file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw CascadeError(.unreadable, source: url.path,
                               problem: exists ? "cannot be read" : "no such file")
        }
        try self.init(xml: [UInt8](data), source: url.path)
    }

    /// Parses and validates cascade XML held in memory; `source` names it in errors.
    public init(xml: [UInt8], source: String) throws {
        self = try CascadeXMLReader(source: source).read(xml)
    }

    init(featureType: FeatureType, windowWidth: Int, windowHeight: Int, categoryCount: Int,
         stages: [Stage], haarFeatures: [HaarFeature], lbpFeatures: [LBPFeature]) {
        self.featureType = featureType
        self.windowWidth = windowWidth
        self.windowHeight = windowHeight
        self.categoryCount = categoryCount
        self.stages = stages
        self.haarFeatures = haarFeatures
        self.lbpFeatures = lbpFeatures
    }
}
