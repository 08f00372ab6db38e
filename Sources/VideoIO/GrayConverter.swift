import CFFmpeg

/// Converts decoded frames to upright 8-bit gray with swscale, with square pixels (non-square stored
/// pixels are stretched to their shown width), optionally scaled down to a maximum width (aspect ratio
/// kept). Reuses one swscale context while the input geometry stays the same.
///
/// Frames with an 8-bit luma plane (YUV, gray) never take swscale's slow range-converting path: at their
/// own size the luma bytes go through `LumaTable` (swscale's conversion, exactly); scaled, the luma plane
/// is scaled as gray and the smaller result goes through the table, within two gray levels of swscale
/// converting while it scales (the ffmpeg CLI's `scale=…,format=gray`) at about a quarter of the time.
final class GrayConverter {
    private let maxWidth: Int?
    private let orientation: Orientation
    /// Width of a stored pixel over its height (the stream's sample aspect ratio; 1 for square pixels).
    private let pixelAspect: Double
    private var context: OpaquePointer?
    /// Gray-to-gray scaling of a luma plane (see `convert`), and the scaled plane before its conversion.
    private var lumaContext: OpaquePointer?
    private var lumaScratch: [UInt8] = []
    /// swscale's equal-size conversion as a table, per source pixel format and range (nil: use swscale).
    private var lumaTables: [LumaKey: LumaTable?] = [:]

    private struct LumaKey: Hashable {
        let format: Int32
        let range: UInt32
    }

    init(maxWidth: Int?, orientation: Orientation, pixelAspect: Double = 1) {
        self.maxWidth = maxWidth
        self.orientation = orientation
        self.pixelAspect = pixelAspect
    }

    /// The width a stored row of `width` pixels is shown at: `width × pixelAspect` rounded (at least 1),
    /// as players and the ffmpeg CLI's `scale=iw*sar:ih` show non-square pixels (anamorphic DV/HDV, some
    /// screen recorders).
    static func shownWidth(_ width: Int, pixelAspect: Double) -> Int {
        pixelAspect == 1 ? width : max(1, Int((Double(width) * pixelAspect).rounded()))
    }

    deinit {
        sws_freeContext(context)
        sws_freeContext(lumaContext)
    }

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
        let upright = orientation.displayedSize(width: Self.shownWidth(srcW, pixelAspect: pixelAspect), height: srcH)
        let out = Self.outputSize(width: upright.width, height: upright.height, maxWidth: maxWidth)
        // Scale in the decoded orientation, then turn the (smaller) result upright.
        let (dstW, dstH) = orientation.transpose ? (out.height, out.width) : (out.width, out.height)
        let pixels: [UInt8]
        if let table = lumaTable(for: frame.pointee.format, range: frame.pointee.color_range),
           let luma = frame.pointee.data.0, frame.pointee.linesize.0 >= Int32(srcW) {
            let lumaStride = Int(frame.pointee.linesize.0)
            if dstW == srcW, dstH == srcH {
                pixels = [UInt8](unsafeUninitializedCapacity: srcW * srcH) { buffer, count in
                    table.apply(source: luma, sourceStride: lumaStride, width: srcW, height: srcH,
                                into: buffer.baseAddress!)
                    count = srcW * srcH
                }
            } else {
                // Scale the luma plane as gray (swscale's fast path), then map the smaller result through
                // the table: about a quarter of the time of swscale scaling and converting the range at
                // once, which the ffmpeg CLI does, and within two gray levels of it.
                guard scaleLuma(luma, stride: lumaStride, width: srcW, height: srcH, toWidth: dstW, height: dstH)
                else { return nil }
                pixels = [UInt8](unsafeUninitializedCapacity: dstW * dstH) { buffer, count in
                    // (From the scratch buffer into a separate one, so the stretch is vectorised.)
                    lumaScratch.withUnsafeBufferPointer { scaled in
                        table.apply(source: scaled.baseAddress!, sourceStride: dstW, width: dstW, height: dstH,
                                    into: buffer.baseAddress!)
                    }
                    count = dstW * dstH
                }
            }
        } else {
            guard let scaled = scale(frame, width: dstW, height: dstH) else { return nil }
            pixels = scaled
        }
        let image = orientation.apply(to: GrayImage(width: dstW, height: dstH, pixels: pixels))
        return (image, upright.width, upright.height)
    }

    /// The cached table for `format` and `range`, made on first use.
    private func lumaTable(for format: Int32, range: AVColorRange) -> LumaTable? {
        let key = LumaKey(format: format, range: range.rawValue)
        if let cached = lumaTables[key] { return cached }
        let table = LumaTable(format: AVPixelFormat(format), range: range)
        lumaTables[key] = table
        return table
    }

    /// Tells swscale whether the source is full range when the frame says so, as the `ffmpeg` CLI's scale
    /// filter does (VP9 or AV1 full-range video arrives as `yuv420p` tagged `pc`, not as `yuvj420p`).
    /// Untagged frames keep swscale's default for their pixel format.
    static func applySourceRange(_ range: AVColorRange, to context: OpaquePointer) {
        guard range == AVCOL_RANGE_JPEG || range == AVCOL_RANGE_MPEG else { return }
        var inverseTable: UnsafeMutablePointer<Int32>?
        var table: UnsafeMutablePointer<Int32>?
        var sourceFull: Int32 = 0, destinationFull: Int32 = 0
        var brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
        guard sws_getColorspaceDetails(context, &inverseTable, &sourceFull, &table, &destinationFull,
                                       &brightness, &contrast, &saturation) >= 0,
              let inverseTable, let table else { return }
        sws_setColorspaceDetails(context, inverseTable, range == AVCOL_RANGE_JPEG ? 1 : 0, table, destinationFull,
                                 brightness, contrast, saturation)
    }

    /// Scales the 8-bit luma plane `luma` (`width` × `height`, rows `stride` apart) to `dstW` × `dstH` into
    /// `lumaScratch` with swscale (bilinear) as a gray picture, values unchanged (no range conversion).
    /// False when swscale fails.
    private func scaleLuma(_ luma: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int,
                           toWidth dstW: Int, height dstH: Int) -> Bool {
        lumaContext = sws_getCachedContext(lumaContext, Int32(width), Int32(height), AV_PIX_FMT_GRAY8,
                                           Int32(dstW), Int32(dstH), AV_PIX_FMT_GRAY8, SWS_BILINEAR, nil, nil, nil)
        guard let lumaContext else { return false }
        if lumaScratch.count != dstW * dstH { lumaScratch = [UInt8](repeating: 0, count: dstW * dstH) }
        return lumaScratch.withUnsafeMutableBufferPointer { buffer in
            var srcData: [UnsafePointer<UInt8>?] = [luma, nil, nil, nil]
            var srcStride: [Int32] = [Int32(stride), 0, 0, 0]
            var dstData: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(dstW), 0, 0, 0]
            return sws_scale(lumaContext, &srcData, &srcStride, 0, Int32(height), &dstData, &dstStride) == Int32(dstH)
        }
    }

    /// `frame` converted to `width` × `height` GRAY8 by swscale (bilinear), or nil when swscale fails.
    func scale(_ frame: UnsafeMutablePointer<AVFrame>, width dstW: Int, height dstH: Int) -> [UInt8]? {
        let srcW = Int(frame.pointee.width), srcH = Int(frame.pointee.height)
        context = sws_getCachedContext(context, Int32(srcW), Int32(srcH), AVPixelFormat(frame.pointee.format),
                                       Int32(dstW), Int32(dstH), AV_PIX_FMT_GRAY8, SWS_BILINEAR, nil, nil, nil)
        guard let context else { return nil }
        Self.applySourceRange(frame.pointee.color_range, to: context)   // no-op when unchanged
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
        return scaled == dstH ? pixels : nil
    }
}
