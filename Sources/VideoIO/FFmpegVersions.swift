import CFFmpeg

/// The FFmpeg libraries this process runs with (the shared libraries loaded at run time, which may be
/// newer than the headers EmoteLab was built against).
public enum FFmpegVersions {
    /// `libavformat 59.27.100, libavcodec 59.37.100, libswscale 6.7.100, libavutil 57.28.100`.
    public static var summary: String {
        [("libavformat", avformat_version()), ("libavcodec", avcodec_version()),
         ("libswscale", swscale_version()), ("libavutil", avutil_version())]
            .map { "\($0.0) \(dotted($0.1))" }.joined(separator: ", ")
    }

    /// FFmpeg's release string as the libraries report it (`av_version_info`, e.g. `5.1.8-0+deb12u1`).
    public static var release: String { String(cString: av_version_info()) }

    /// `AV_VERSION_INT` split back into major.minor.micro.
    static func dotted(_ version: UInt32) -> String { "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)" }
}
