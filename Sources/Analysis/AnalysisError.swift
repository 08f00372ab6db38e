/// A failed analysis step; `description` is one line naming the file and the problem.
public struct AnalysisError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// An analysis stopped on request (Ctrl-C, SIGTERM); its run is marked `interrupted`.
public struct AnalysisInterrupted: Error, Equatable, CustomStringConvertible {
    public let reason: CancellationToken.Reason
    /// The file whose analysis stopped.
    public let file: String

    public var description: String { "\(file): analysis \(reason.description); the run is marked interrupted" }
}
