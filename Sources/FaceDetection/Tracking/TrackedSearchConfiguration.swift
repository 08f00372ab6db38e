/// How `TrackedFaceSearch` trades full-frame searches for cheap searches near known faces.
public struct TrackedSearchConfiguration: Sendable, Hashable {
    /// Detection parameters of full-frame searches (region searches narrow the sizes).
    public var parameters: DetectionParameters
    /// A full-frame search runs at least this often (seconds), so new faces are found while others are
    /// tracked. It also runs whenever no face is tracked or a tracked face is not found near its box.
    public var fullSearchInterval: Double
    /// The pyramid step of the periodic full-frame searches made while every tracked face was found near
    /// its box: they only look for faces that are new, so they may step coarser than `parameters`
    /// (the tracked faces themselves are measured by their region searches, as on every other frame).
    /// Set it to `parameters.scaleFactor` to search as finely as a first search.
    public var discoveryScaleFactor: Double
    /// A region search covers the predicted box grown by this fraction of its size on every side.
    public var regionMargin: Double
    /// A region search looks for faces from `minimumScale` to `maximumScale` times the tracked box size.
    public var minimumScale: Double
    public var maximumScale: Double
    /// Association settings.
    public var tracker: FaceTrackerConfiguration

    public init(parameters: DetectionParameters = .standard, fullSearchInterval: Double = 1.0,
                discoveryScaleFactor: Double = 1.2, regionMargin: Double = 0.3, minimumScale: Double = 0.7,
                maximumScale: Double = 1.5, tracker: FaceTrackerConfiguration = .init()) {
        self.parameters = parameters
        self.fullSearchInterval = fullSearchInterval
        self.discoveryScaleFactor = discoveryScaleFactor
        self.regionMargin = regionMargin
        self.minimumScale = minimumScale
        self.maximumScale = maximumScale
        self.tracker = tracker
    }

    /// The region and size limits of the search around `box` in a `width` × `height` frame; nil when the
    /// region falls outside the frame.
    public func regionSearch(around box: FaceBox, width: Int, height: Int) -> (region: FaceBox, parameters: DetectionParameters)? {
        // Out-of-range settings are clamped so a bad value can never trap.
        let margin = Self.clamp(regionMargin, 0...4, otherwise: 0.3)
        let smallest = Self.clamp(minimumScale, 0...1, otherwise: 0.7)
        let largest = Self.clamp(maximumScale, 1...16, otherwise: 1.5)
        let grow = Int((Double(max(box.width, box.height)) * margin).rounded())
        let grown = FaceBox(x: box.x - grow, y: box.y - grow, width: box.width + 2 * grow, height: box.height + 2 * grow)
        guard let region = grown.clamped(toWidth: width, height: height) else { return nil }
        let minSide = Int((Double(min(box.width, box.height)) * smallest).rounded(.down))
        var maxSide = Int((Double(max(box.width, box.height)) * largest).rounded(.up))
        if parameters.maxSize.width > 0, parameters.maxSize.height > 0 {
            maxSide = min(maxSide, parameters.maxSize.width, parameters.maxSize.height)
        }
        guard let narrowed = try? DetectionParameters(
            scaleFactor: parameters.scaleFactor, minNeighbors: parameters.minNeighbors,
            minSize: PixelSize(width: max(minSide, parameters.minSize.width), height: max(minSide, parameters.minSize.height)),
            maxSize: PixelSize(width: max(maxSide, 1), height: max(maxSide, 1))) else { return nil }
        return (region, narrowed)
    }

    /// The parameters of a discovery search: `parameters` with the pyramid step `discoveryScaleFactor`
    /// (never finer than `parameters`' own step; an invalid value keeps it).
    public var discoveryParameters: DetectionParameters {
        let step = discoveryScaleFactor.isFinite ? min(max(discoveryScaleFactor, parameters.scaleFactor), 2)
                                                 : parameters.scaleFactor
        return (try? DetectionParameters(scaleFactor: step, minNeighbors: parameters.minNeighbors,
                                         minSize: parameters.minSize, maxSize: parameters.maxSize)) ?? parameters
    }

    private static func clamp(_ value: Double, _ range: ClosedRange<Double>, otherwise fallback: Double) -> Double {
        value.isNaN ? fallback : min(max(value, range.lowerBound), range.upperBound)
    }
}
