/// A problem in a tasks file: `FILE:LINE: message` (or `FILE: message` when no line applies).
public struct TaskFileError: Error, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// 1-based line where the offending record starts, when known.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
