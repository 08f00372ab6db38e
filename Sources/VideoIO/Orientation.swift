import CFFmpeg

/// How to turn decoded pixels upright, from the stream's display matrix: an optional transpose followed by
/// optional horizontal and vertical flips (the eight right-angle rotations and mirrorings).
///
/// The mapping from matrix to operations is the one the `ffmpeg` CLI uses for `-autorotate`
/// (fftools/ffmpeg_filter.c, FFmpeg 6.1), so our frames come out as `ffmpeg -i FILE` shows them.
struct Orientation: Equatable, Sendable {
    var transpose = false
    var flipHorizontally = false
    var flipVertically = false
    /// Clockwise rotation in degrees that makes the picture upright, rounded to the nearest degree in 0..<360.
    var rotation = 0

    static let identity = Orientation()

    var isIdentity: Bool { !transpose && !flipHorizontally && !flipVertically }

    /// The orientation a stream's display matrix asks for. Rotations other than multiples of 90° keep the
    /// pixels as decoded (`isIdentity`) but still report `rotation`.
    init(displayMatrix m: [Int32]?) {
        guard let m, m.count == 9 else { return }
        let angle = m.withUnsafeBufferPointer { av_display_rotation_get($0.baseAddress) }
        guard angle.isFinite else { return }
        var theta = -angle.rounded()
        theta -= 360 * (theta / 360 + 0.9 / 360).rounded(.down)
        rotation = Int(theta) % 360
        if abs(theta - 90) < 1 {
            transpose = true
            flipHorizontally = m[3] <= 0          // "clock"; m[3] > 0 is "cclock_flip" (a plain transpose)
        } else if abs(theta - 180) < 1 {
            flipHorizontally = m[0] < 0
            flipVertically = m[4] < 0
        } else if abs(theta - 270) < 1 {
            transpose = true
            flipVertically = true                 // "cclock"; m[3] < 0 is "clock_flip", which also flips x
            flipHorizontally = m[3] < 0
        } else if abs(theta) < 1 {
            flipVertically = m[4] < 0
        }
    }

    init() {}

    /// The display matrix side data of `stream`, if it has one.
    static func displayMatrix(of stream: UnsafeMutablePointer<AVStream>) -> [Int32]? {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size),
              size >= 9 * MemoryLayout<Int32>.size else { return nil }
        return data.withMemoryRebound(to: Int32.self, capacity: 9) { Array(UnsafeBufferPointer(start: $0, count: 9)) }
    }

    /// The size of an upright picture whose decoded size is `width` × `height`.
    func displayedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        transpose ? (height, width) : (width, height)
    }

    /// `image` turned upright.
    func apply(to image: GrayImage) -> GrayImage {
        if isIdentity { return image }
        let (w, h) = (image.width, image.height)
        let (outW, outH) = displayedSize(width: w, height: h)
        var out = [UInt8](repeating: 0, count: outW * outH)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<outH {
                    // Undo the flips, then the transpose, to find the source pixel of (ox, oy).
                    let fy = flipVertically ? outH - 1 - oy : oy
                    for ox in 0..<outW {
                        let fx = flipHorizontally ? outW - 1 - ox : ox
                        let (sx, sy) = transpose ? (fy, fx) : (fx, fy)
                        dst[oy * outW + ox] = src[sy * w + sx]
                    }
                }
            }
        }
        return GrayImage(width: outW, height: outH, pixels: out)
    }
}
