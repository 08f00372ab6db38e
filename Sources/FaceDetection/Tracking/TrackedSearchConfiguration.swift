/// Settings of `TrackedFaceSearch`.
public struct TrackedSearchConfiguration: Sendable, Hashable {
    /// Detection parameters of the whole-frame search every frame gets.
    public var parameters: DetectionParameters
    /// Association and seat settings.
    public var tracker: FaceTrackerConfiguration

    public init(parameters: DetectionParameters = .standard, tracker: FaceTrackerConfiguration = .init()) {
        self.parameters = parameters
        self.tracker = tracker
    }
}
