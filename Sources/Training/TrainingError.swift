import FileNames
import Foundation

/// A problem with the user's data, model files or checkpoints. Its `description` is one line naming the
/// file and the problem, fit to print as `error: <description>`.
public struct TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// `<path>: <problem>`.
    public init(_ url: URL, _ problem: String) { self.description = "\(RawFileName.displayed(url.path)): \(problem)" }
}

extension TrainingError: LocalizedError {
    public var errorDescription: String? { description }
}

extension TrainingError {
    /// `<path>: exists; pass --overwrite to replace it`: the refusal of every command that would replace a
    /// file the user did not ask it to.
    public static func exists(_ url: URL) -> TrainingError {
        TrainingError(url, "exists; pass --overwrite to replace it")
    }
}
