import CFFmpeg

/// Converts decoded frames to upright 8-bit gray with swscale, optionally scaled down to a maximum width
/// (aspect ratio kept). Reuses one swscale context while the input geometry stays the same.
final class GrayConverter {
    private let maxWidth: Int?
    private let orientation: Orientation
    private var context: OpaquePointer?

    init(maxWidth: Int?, orientation: Orientation) {
        self.maxWidth = maxWidth
        self.orientation = orientation
    }

    deinit { sws_freeContext(context) }

    /// The upright output size for an upright source of `width` × `height`: unchanged when it fits in
    /// `maxWidth`, otherwise `maxWidth` wide with the height scaled by the same factor (rounded, at least 1).
    static func outputSize(width: Int, height: Int, maxWidth: Int?) -> (width: Int, height: Int) {
        guard let maxWidth, width > maxWidth else { return (width, height) }
        let scaledHeight = (Double(height) * Double(maxWidth) / Double(width)).rounded()
        return (maxWidth, max(1, Int(scaledHeight)))
    }

    /// `frame` as upright gray, plus the upright size of the source. Nil when swscale cannot convert the
    /// frame's pixel format or geometry.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>) -> (image: GrayImage, sourceWidth: Int, sourceHeight: Int)? {
        let srcW = Int(frame.pointee.width), srcH = Int(frame.pointee.height)
        guard srcW > 0, srcH > 0, frame.pointee.format >= 0 else { return nil }
        let upright = orientation.displayedSize(width: srcW, height: srcH)
        let out = Self.outputSize(width: upright.width, height: upright.height, maxWidth: maxWidth)
        // Scale in the decoded orientation, then turn the (smaller) result upright.
        let (dstW, dstH) = orientation.transpose ? (out.height, out.width) : (out.width, out.height)
        context = sws_getCachedContext(context, Int32(srcW), Int32(srcH), AVPixelFormat(frame.pointee.format),
                                       Int32(dstW), Int32(dstH), AV_PIX_FMT_GRAY8, SWS_BILINEAR, nil, nil, nil)
        guard let context else { return nil }
        var scaled = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: dstW * dstH) { buffer, count in
            var dstData: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(dstW), 0, 0, 0]
            scaled = withUnsafePointer(to: &frame.pointee.data) { dataTuple in
                withUnsafePointer(to: &frame.pointee.linesize) { strideTuple in
                    dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { srcData in
                        strideTuple.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                            Int(sws_scale(context, srcData, srcStride, 0, Int32(srcH), &dstData, &dstStride))
                        }
                    }
                }
            }
            if scaled != dstH { buffer.initialize(repeating: 0) }
            count = dstW * dstH
        }
        guard scaled == dstH else { return nil }
        let image = orientation.apply(to: GrayImage(width: dstW, height: dstH, pixels: pixels))
        return (image, upright.width, upright.height)
    }
}
