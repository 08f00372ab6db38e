/// Integral images with 32-bit wrapping sums, laid out like OpenCV's `integral(img, sum, sqsum, tilted,
/// CV_32S, CV_32S)`: (height + 1) rows of (width + 1) values, row 0 and column 0 zero, rows `stride`
/// apart. Sums of squares overflow 32 bits on large images exactly as in OpenCV; differences over a
/// detection window are still exact because the arithmetic wraps.
enum IntegralImage {
    /// Fills `sum` (and `squares` when given) from the `width` × `height` image `source`.
    static func compute(source: UnsafePointer<UInt8>, sourceStride: Int, width: Int, height: Int,
                        sum: UnsafeMutablePointer<Int32>, squares: UnsafeMutablePointer<Int32>?, stride: Int) {
        sum.update(repeating: 0, count: width + 1)
        squares?.update(repeating: 0, count: width + 1)
        for y in 0..<height {
            let src = source + y * sourceStride
            let above = sum + y * stride, row = above + stride
            row[0] = 0
            var s: Int32 = 0
            if let squares {
                let squaresAbove = squares + y * stride, squaresRow = squaresAbove + stride
                squaresRow[0] = 0
                var q: Int32 = 0
                for x in 0..<width {
                    let v = Int32(src[x])
                    s &+= v
                    q &+= v &* v
                    row[x + 1] = above[x + 1] &+ s
                    squaresRow[x + 1] = squaresAbove[x + 1] &+ q
                }
            } else {
                for x in 0..<width {
                    s &+= Int32(src[x])
                    row[x + 1] = above[x + 1] &+ s
                }
            }
        }
    }

    /// Fills `tilted` with OpenCV's 45°-rotated integral image, following the recurrence of OpenCV's
    /// `integral_` (sumpixels.cpp) step for step, so the values are the same bit for bit.
    static func computeTilted(source: UnsafePointer<UInt8>, sourceStride: Int, width: Int, height: Int,
                              tilted: UnsafeMutablePointer<Int32>, stride: Int) {
        tilted.update(repeating: 0, count: width + 1)
        guard width > 0, height > 0 else { return }
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: width + 1)
        defer { buffer.deallocate() }

        // First image row: tilted row 1 is the pixel itself.
        do {
            let row = tilted + stride
            row[0] = 0
            for x in 0..<width {
                let v = Int32(source[x])
                buffer[x] = v
                row[x + 1] = v
            }
            if width == 1 { buffer[1] = 0 }
        }
        for y in 1..<height {
            let src = source + y * sourceStride
            let above = tilted + y * stride, row = above + stride
            var t0 = Int32(src[0])
            row[0] = above[1]
            row[1] = above[1] &+ t0 &+ buffer[1]
            var x = 1
            while x < width - 1 {
                var t1 = buffer[x]
                buffer[x - 1] = t1 &+ t0
                t0 = Int32(src[x])
                t1 = t1 &+ buffer[x + 1] &+ t0 &+ above[x]
                row[x + 1] = t1
                x += 1
            }
            if width > 1 {
                let t1 = buffer[x]
                buffer[x - 1] = t1 &+ t0
                t0 = Int32(src[x])
                row[x + 1] = t0 &+ t1 &+ above[x]
                buffer[x] = t0
            }
        }
    }
}
