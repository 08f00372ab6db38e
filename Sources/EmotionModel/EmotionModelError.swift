/// A problem loading, saving or running an emotion model; the description is one line naming the file or
/// input and the problem.
public struct EmotionModelError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
