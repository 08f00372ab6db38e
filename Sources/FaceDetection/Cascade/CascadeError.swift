/// Why a cascade file could not be used. `description` is one line naming the file and the problem.
public struct CascadeError: Error, Equatable, CustomStringConvertible {
    /// The broad reason, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// The file is missing or cannot be read.
        case unreadable
        /// The bytes are not well-formed XML (truncated, mismatched tags, ...).
        case malformedXML
        /// Well-formed XML that is not an OpenCV cascade (wrong root element, old format, ...).
        case notACascade
        /// An OpenCV cascade with invalid content (empty stage, feature index out of range, ...).
        case invalidContent
    }

    public let kind: Kind
    /// The file (or source label) the cascade came from.
    public let source: String
    /// What is wrong, without the file name.
    public let problem: String

    public init(_ kind: Kind, source: String, problem: String) {
        self.kind = kind
        self.source = source
        self.problem = problem
    }

    public var description: String { "cascade \(source): \(problem)" }
}
