/// OpenCV's bit-exact bilinear resize of 8-bit single-channel images (`INTER_LINEAR_EXACT`, used by
/// `CascadeClassifier` to build its pyramid): pixel-centre alignment, interpolation weights rounded to
/// 8 fractional bits, rows interpolated first in 16-bit fixed point, then columns, with round-half-up.
enum LinearExactResize {
    /// Per-output-coordinate source index and weights along one axis.
    struct Axis {
        /// The first source index for each output coordinate.
        var offsets: [Int]
        /// The weight of `offsets[i] + 1`, in 1/256 (the weight of `offsets[i]` is 256 minus it).
        var weights: [UInt32]
        /// Outputs below `lower` copy source index 0; outputs at or above `upper` copy the last source index.
        var lower: Int
        var upper: Int

        init(sourceCount: Int, targetCount: Int) {
            let inverseScale = Double(targetCount) / Double(sourceCount)
            let scale = 1 / inverseScale
            offsets = [Int](repeating: 0, count: targetCount)
            weights = [UInt32](repeating: 0, count: targetCount)
            lower = 0
            upper = targetCount
            for i in 0..<targetCount {
                let position = scale * (Double(i) + 0.5) - 0.5
                let index = Int(position.rounded(.down))
                if index >= 0, sourceCount > 1 {
                    if index < sourceCount - 1 {
                        offsets[i] = index
                        weights[i] = UInt32(roundEven((position - Double(index)) * 256))
                    } else {
                        offsets[i] = sourceCount - 1
                        upper = min(upper, i)
                    }
                } else {
                    lower = max(lower, i + 1)
                }
            }
            // Everything from `upper` on copies the last source sample.
            for i in upper..<targetCount { offsets[i] = sourceCount - 1 }
        }
    }

    /// Resizes `source` (rows `sourceStride` apart) into the tightly packed `target`.
    static func resize(source: UnsafePointer<UInt8>, sourceStride: Int, sourceWidth: Int, sourceHeight: Int,
                       target: UnsafeMutablePointer<UInt8>, targetWidth: Int, targetHeight: Int) {
        if sourceWidth == targetWidth, sourceHeight == targetHeight {
            for y in 0..<sourceHeight {
                (target + y * targetWidth).update(from: source + y * sourceStride, count: sourceWidth)
            }
            return
        }
        let xAxis = Axis(sourceCount: sourceWidth, targetCount: targetWidth)
        let yAxis = Axis(sourceCount: sourceHeight, targetCount: targetHeight)
        let lines = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * targetWidth)
        defer { lines.deallocate() }
        var lineRows = (-1, -1)   // the source rows held in lines[0] and lines[targetWidth]

        xAxis.offsets.withUnsafeBufferPointer { xOffsets in
            xAxis.weights.withUnsafeBufferPointer { xWeights in
                /// Interpolates source row `row` along x into `line` (values in 1/256).
                func horizontal(_ row: Int, into line: UnsafeMutablePointer<UInt32>) {
                    let src = source + row * sourceStride
                    let first = UInt32(src[0]) << 8
                    for i in 0..<xAxis.lower { line[i] = first }
                    var i = xAxis.lower
                    while i < xAxis.upper {
                        let o = xOffsets[i], w1 = xWeights[i]
                        line[i] = UInt32(src[o]) * (256 - w1) + UInt32(src[o + 1]) * w1
                        i += 1
                    }
                    if xAxis.upper < targetWidth {
                        let last = UInt32(src[xOffsets[targetWidth - 1]]) << 8
                        for i in xAxis.upper..<targetWidth { line[i] = last }
                    }
                }
                /// Writes a row that copies one horizontally interpolated source row.
                func copyRow(_ row: Int, to dst: UnsafeMutablePointer<UInt8>) {
                    horizontal(row, into: lines)
                    lineRows.0 = row
                    for i in 0..<targetWidth { dst[i] = UInt8(truncatingIfNeeded: min((lines[i] + 128) >> 8, 255)) }
                }

                for y in 0..<targetHeight {
                    let dst = target + y * targetWidth
                    if y < yAxis.lower {
                        copyRow(0, to: dst)
                        continue
                    }
                    if y >= yAxis.upper {
                        copyRow(sourceHeight - 1, to: dst)
                        continue
                    }
                    let row = yAxis.offsets[y]
                    let lineA: UnsafeMutablePointer<UInt32>, lineB: UnsafeMutablePointer<UInt32>
                    if lineRows.0 == row, lineRows.1 == row + 1 {
                        lineA = lines; lineB = lines + targetWidth
                    } else if lineRows.1 == row {
                        // Slide: the old second line becomes the first.
                        (lines).update(from: lines + targetWidth, count: targetWidth)
                        horizontal(row + 1, into: lines + targetWidth)
                        lineRows = (row, row + 1)
                        lineA = lines; lineB = lines + targetWidth
                    } else {
                        horizontal(row, into: lines)
                        horizontal(row + 1, into: lines + targetWidth)
                        lineRows = (row, row + 1)
                        lineA = lines; lineB = lines + targetWidth
                    }
                    let w1 = yAxis.weights[y], w0 = 256 - w1
                    for i in 0..<targetWidth {
                        let value = (lineA[i] * w0 + lineB[i] * w1 + 32768) >> 16
                        dst[i] = UInt8(truncatingIfNeeded: min(value, 255))
                    }
                }
            }
        }
    }
}
