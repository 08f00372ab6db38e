/// Why a file could not be read. Each `description` is one line that names the file and the problem.
public enum VideoIOError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path is a directory (or another non-regular file), not a media file.
    case notAFile(path: String)
    /// The path names a named pipe, a device or a socket: recordings are read from regular files only.
    case notARegularFile(path: String, kind: String)
    /// The file exists but cannot be opened for reading (e.g. permission denied).
    case unreadable(path: String, reason: String)
    /// The file is zero bytes long.
    case emptyFile(path: String)
    /// FFmpeg recognises no container format in the file (e.g. a text file renamed `.mp4`).
    case unrecognisedFormat(path: String, reason: String)
    /// The file starts like an MP4/MOV file but its index cannot be read, typically because the file
    /// was cut before the index (`moov`) at its end was written.
    case damagedContainer(path: String, reason: String)
    /// The container holds no video stream; `streams` lists what it does hold (e.g. `["audio"]`).
    case noVideoStream(path: String, streams: [String])
    /// The stream asked for by index does not exist or is not a video stream; `videoStreams` lists the
    /// indices of those that are.
    case notAVideoStream(path: String, index: Int, videoStreams: [Int], streamCount: Int)
    /// The video stream's codec has no decoder in this FFmpeg build.
    case unsupportedCodec(path: String, codec: String)
    /// Not a single frame of the video stream could be decoded.
    case noFrames(path: String, reason: String)
    /// An FFmpeg call failed for a reason not covered above.
    case ffmpeg(path: String, operation: String, reason: String)
    /// A `VideoReadOptions` value is out of range (a caller error, not a file problem).
    case invalidOption(String)

    public var description: String {
        switch self {
        case .fileNotFound(let p):
            return "\(p): no such file"
        case .notAFile(let p):
            return "\(p): is a directory, not a media file"
        case .notARegularFile(let p, let kind):
            return "\(p): is \(kind), not a regular file (recordings are read from files)"
        case .unreadable(let p, let reason):
            return "\(p): cannot be read (\(reason))"
        case .emptyFile(let p):
            return "\(p): file is empty (0 bytes)"
        case .unrecognisedFormat(let p, let reason):
            return "\(p): not a video or image file FFmpeg can read (\(reason))"
        case .damagedContainer(let p, let reason):
            return "\(p): MP4/MOV file whose index (moov) is missing or damaged; "
                + "was the file cut short while recording or copying? (\(reason))"
        case .noVideoStream(let p, let streams):
            let held = streams.isEmpty ? "no streams" : "only " + streams.joined(separator: ", ") + " streams"
            return "\(p): contains no video stream (\(held))"
        case .notAVideoStream(let p, let index, let streams, let count):
            let choice = streams.isEmpty ? "it has none" : "its video streams: " + streams.map(String.init).joined(separator: ", ")
            return index >= count ? "\(p): has no stream \(index) (\(count) streams; \(choice))"
                                  : "\(p): stream \(index) is not a video stream (\(choice))"
        case .unsupportedCodec(let p, let codec):
            return "\(p): no decoder available for the video codec '\(codec)'"
        case .noFrames(let p, let reason):
            return "\(p): no picture could be decoded (\(reason))"
        case .ffmpeg(let p, let operation, let reason):
            return "\(p): \(operation) failed (\(reason))"
        case .invalidOption(let reason):
            return "invalid video read option: \(reason)"
        }
    }
}
