/// Why a clip or an annotated video could not be made. Each `description` is one line.
public enum EvidenceError: Error, Equatable, CustomStringConvertible {
    /// The session's recording is not at the path stored when it was analysed.
    case recordingMissing(sessionID: Int64, path: String)
    /// A file is at the stored path, but its content hash is not the session's: it was changed or replaced.
    case recordingChanged(sessionID: Int64, path: String)
    /// An FFmpeg call failed.
    case media(path: String, operation: String, reason: String)
    /// The recording asks players to mirror it or turn it by other than a right angle; drawing on it is not supported.
    case rotated(path: String, degrees: Int)
    /// The FFmpeg build has neither libx264 nor the MPEG-4 Part 2 encoder.
    case noEncoder

    public var description: String {
        switch self {
        case let .recordingMissing(id, path):
            return "session \(id)'s recording \(path) is not there any more (moved or deleted?); "
                + "put it back or analyse the file at its new place"
        case let .recordingChanged(id, path):
            return "session \(id)'s recording \(path) has changed since it was analysed (its content hash differs); "
                + "analyse the file again"
        case let .media(path, operation, reason):
            return "\(path): \(operation) failed (\(reason))"
        case let .rotated(path, degrees):
            return "\(path): the recording is shown mirrored or turned by \(degrees)°, which drawing on frames does not support"
        case .noEncoder:
            return "this FFmpeg build has neither the libx264 nor the mpeg4 video encoder"
        }
    }
}
