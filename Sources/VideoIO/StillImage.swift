import Foundation

/// Still images (JPEG, PNG, BMP, … anything FFmpeg reads) decoded through the same path as video frames.
public enum StillImage {
    /// Decodes a still image to 8-bit gray at its own size (swscale, as `ffmpeg -pix_fmt gray` does).
    /// For a video file this is its first frame. Throws a `VideoIOError` naming the file and the problem.
    public static func decodeGray(contentsOf url: URL) throws -> GrayImage {
        let reader = try VideoReader(url: url, options: VideoReadOptions(threads: 1))
        guard let frame = try reader.next() else {
            throw VideoIOError.noFrames(path: url.relativePath, reason: "the image holds no picture")
        }
        return frame.image
    }
}
