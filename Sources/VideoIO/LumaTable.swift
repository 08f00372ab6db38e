import CFFmpeg

/// swscale's 8-bit YUV → GRAY8 conversion as a 256-entry table, for converting frames (at their own size,
/// or after scaling their luma plane as gray) without running the full scaler.
///
/// FFmpeg treats GRAY8 as full range, so limited-range video luma is stretched (16…235 → 0…255): swscale
/// then takes its general path, which costs about as much as decoding a 720p H.264 frame. At equal size
/// (filter size 1, no dither for 8-bit input) each output byte depends only on the input luma byte, so the
/// table made by running swscale itself over all 256 luma values reproduces it exactly. The two tables
/// that occur in practice, identity (full-range input) and swscale's limited → full stretch, are applied
/// with vector code once they have been checked against the table; anything else goes through the table.
struct LumaTable {
    let values: [UInt8]

    /// How `apply` computes the table.
    enum Kernel { case identity, limitedToFull, lookup }
    let kernel: Kernel

    /// The table for frames of `format` tagged with `range`, or nil when the format is not 8-bit YUV/gray
    /// with a luma plane first, or swscale cannot convert it.
    init?(format: AVPixelFormat, range: AVColorRange) {
        guard let descriptor = av_pix_fmt_desc_get(format), Self.hasEightBitLumaPlane(descriptor.pointee) else {
            return nil
        }
        // A 16×16 picture whose luma takes every value 0…255 once.
        let side: Int32 = 16
        guard let frame = av_frame_alloc() else { return nil }
        var owned: UnsafeMutablePointer<AVFrame>? = frame
        defer { av_frame_free(&owned) }
        frame.pointee.format = format.rawValue
        frame.pointee.width = side
        frame.pointee.height = side
        guard av_frame_get_buffer(frame, 0) >= 0, av_frame_make_writable(frame) >= 0 else { return nil }
        let lumaStride = Int(frame.pointee.linesize.0)
        guard let luma = frame.pointee.data.0 else { return nil }
        for value in 0..<256 { luma[(value / 16) * lumaStride + value % 16] = UInt8(value) }
        // Other planes (chroma, alpha) at mid value: they do not reach GRAY8 output, but keep the picture valid.
        for plane in 1..<4 {
            let pointer = withUnsafePointer(to: &frame.pointee.data) {
                $0.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { $0[plane] }
            }
            let stride = withUnsafePointer(to: &frame.pointee.linesize) {
                $0.withMemoryRebound(to: Int32.self, capacity: 8) { Int($0[plane]) }
            }
            let rows = plane == 1 || plane == 2 ? Int(side) >> Int(descriptor.pointee.log2_chroma_h) : Int(side)
            if let pointer, stride > 0 { pointer.update(repeating: 128, count: stride * rows) }
        }
        guard let context = sws_getContext(side, side, format, side, side, AV_PIX_FMT_GRAY8, SWS_BILINEAR,
                                           nil, nil, nil) else { return nil }
        defer { sws_freeContext(context) }
        GrayConverter.applySourceRange(range, to: context)
        var out = [UInt8](repeating: 0, count: 256)
        let rows = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var dstData: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [side, 0, 0, 0]
            return withUnsafePointer(to: &frame.pointee.data) { data in
                withUnsafePointer(to: &frame.pointee.linesize) { stride in
                    data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { srcData in
                        stride.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                            sws_scale(context, srcData, srcStride, 0, side, &dstData, &dstStride)
                        }
                    }
                }
            }
        }
        guard rows == side else { return nil }
        values = out
        if out.indices.allSatisfy({ out[$0] == UInt8($0) }) {
            kernel = .identity
        } else if out.indices.allSatisfy({ out[$0] == Self.limitedToFull(UInt8($0)) }) {
            kernel = .limitedToFull
        } else {
            kernel = .lookup
        }
    }

    /// 8-bit planar or semi-planar YUV, or 8-bit gray: plane 0 holds one luma byte per pixel.
    private static func hasEightBitLumaPlane(_ d: AVPixFmtDescriptor) -> Bool {
        let unsupported = UInt64(AV_PIX_FMT_FLAG_RGB) | UInt64(AV_PIX_FMT_FLAG_PAL) | UInt64(AV_PIX_FMT_FLAG_BITSTREAM)
            | UInt64(AV_PIX_FMT_FLAG_HWACCEL) | UInt64(AV_PIX_FMT_FLAG_FLOAT) | UInt64(AV_PIX_FMT_FLAG_BAYER)
        guard d.flags & unsupported == 0, d.nb_components >= 1 else { return false }
        let luma = d.comp.0
        let planar = d.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 || d.nb_components <= 2
        return planar && luma.plane == 0 && luma.depth == 8 && luma.step == 1 && luma.shift == 0 && luma.offset == 0
    }

    /// swscale's limited → full luma stretch in fixed point, `clamp(((y · 19077) >> 8 − 1160) >> 6)`, matching
    /// libswscale 6 for all 256 inputs (checked against the table at init). It is computed in 16-bit lanes:
    /// `(y · 19077) >> 8 = y · 74 + (y · 133) >> 8` exactly (19077 = 74 · 256 + 133), every intermediate fits
    /// in 16 bits, and wrapping arithmetic (no overflow is possible) lets the compiler vectorise the loop.
    @inline(__always)
    private static func limitedToFull(_ y: UInt8) -> UInt8 {
        let wide = UInt16(truncatingIfNeeded: y)
        let scaled = Int16(bitPattern: wide &* 74 &+ ((wide &* 133) &>> 8))
        return UInt8(clamping: (scaled &- 1160) &>> 6)
    }

    /// Writes the table applied to `height` rows of `width` luma bytes (`sourceStride` apart) into `output`.
    func apply(source: UnsafePointer<UInt8>, sourceStride: Int, width: Int, height: Int,
               into output: UnsafeMutablePointer<UInt8>) {
        for y in 0..<height {
            let src = source + y * sourceStride
            let dst = output + y * width
            switch kernel {
            case .identity:
                dst.update(from: src, count: width)
            case .limitedToFull:
                for x in 0..<width { dst[x] = Self.limitedToFull(src[x]) }
            case .lookup:
                values.withUnsafeBufferPointer { table in
                    for x in 0..<width { dst[x] = table[Int(src[x])] }
                }
            }
        }
    }
}
