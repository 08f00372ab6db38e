/// A width and height in pixels.
public struct PixelSize: Sendable, Hashable, Codable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// 0 × 0: "no limit" for `DetectionParameters.minSize` / `maxSize`.
    public static let zero = PixelSize(width: 0, height: 0)
}

/// The knobs of `CascadeDetector.detect`, with OpenCV `detectMultiScale`'s meaning and defaults.
/// Values are checked when made, so a detector never sees an invalid combination.
public struct DetectionParameters: Sendable, Hashable {
    /// How much the search window grows from one pyramid level to the next (> 1; default 1.1).
    public let scaleFactor: Double
    /// A face needs more than this many overlapping raw hits to be reported (default 5; 0 returns the
    /// raw, ungrouped hits).
    public let minNeighbors: Int
    /// Windows smaller than this are not searched (default 0 × 0: no limit).
    public let minSize: PixelSize
    /// Windows larger than this are not searched (default 0 × 0: the image size).
    public let maxSize: PixelSize

    /// Checks and stores the parameters; throws `DetectionParameterError` for values OpenCV would reject.
    public init(scaleFactor: Double = 1.1, minNeighbors: Int = 5,
                minSize: PixelSize = .zero, maxSize: PixelSize = .zero) throws {
        guard scaleFactor.isFinite, scaleFactor > 1 else {
            throw DetectionParameterError(message: "scale factor must be greater than 1, got \(scaleFactor)")
        }
        guard minNeighbors >= 0 else {
            throw DetectionParameterError(message: "minimum neighbours must be 0 or more, got \(minNeighbors)")
        }
        guard minSize.width >= 0, minSize.height >= 0, maxSize.width >= 0, maxSize.height >= 0 else {
            throw DetectionParameterError(message: "minimum and maximum face sizes must not be negative")
        }
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
        self.minSize = minSize
        self.maxSize = maxSize
    }

    /// scaleFactor 1.1, minNeighbors 5, no size limits (OpenCV's defaults).
    public static let standard = DetectionParameters(checked: 1.1, 5, .zero, .zero)

    private init(checked scaleFactor: Double, _ minNeighbors: Int, _ minSize: PixelSize, _ maxSize: PixelSize) {
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
        self.minSize = minSize
        self.maxSize = maxSize
    }
}

/// An invalid detection parameter; `description` is one line.
public struct DetectionParameterError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { "invalid face detection parameter: \(message)" }
}
