import Foundation

/// Brings every face crop to a common sharpness before the network sees it: a crop sharper than the model's
/// target is Gaussian-blurred, with the smallest σ that brings its sharpness down to the target; a crop
/// already at or below the target is left as it is.
///
/// Why: the FER2013 training split we train on is uniformly blurred (it matches the PublicTest split
/// blurred with a Gaussian of σ ≈ 3 px at 48×48 in sharpness, contrast and range), while real video crops
/// and FER2013's own test splits are sharp. A network trained on blurred faces sees a sharp face as a
/// different kind of input; blurring inputs down to the training data's sharpness removes that mismatch,
/// whatever the sharpness of the source.
///
/// Sharpness is `mean |∇²I| / std(I)`: the mean absolute 4-neighbour Laplacian (borders reflected without
/// repeating the edge pixel, OpenCV's `BORDER_REFLECT_101`, so `cv2.Laplacian(img, CV_32F)` gives the same
/// values) over the standard deviation of the pixels. Dividing by the standard deviation makes it
/// independent of contrast; a flat image (std < 1 gray level) has sharpness 0.
public enum SharpnessNormalization {
    /// The sharpness of a `side × side` gray image (see the type's documentation).
    public static func sharpness(of pixels: [UInt8], side: Int) -> Float {
        sharpness(of: pixels.map(Float.init), side: side)
    }

    /// The sharpness of a `side × side` image of gray values.
    public static func sharpness(of pixels: [Float], side: Int) -> Float {
        precondition(side >= 2 && pixels.count == side * side, "sharpness: \(pixels.count) values for \(side)×\(side)")
        let n = Float(pixels.count)
        var sum: Float = 0
        for v in pixels { sum += v }
        let mean = sum / n
        var squares: Float = 0
        for v in pixels { squares += (v - mean) * (v - mean) }
        let std = (squares / n).squareRoot()
        guard std >= 1 else { return 0 }
        var total: Float = 0
        pixels.withUnsafeBufferPointer { p in
            for y in 0..<side {
                let up = reflect(y - 1, side) * side, down = reflect(y + 1, side) * side, row = y * side
                for x in 0..<side {
                    let left = reflect(x - 1, side), right = reflect(x + 1, side)
                    total += abs(p[up + x] + p[down + x] + p[row + left] + p[row + right] - 4 * p[row + x])
                }
            }
        }
        return total / n / std
    }

    /// A `side × side` image blurred with a Gaussian of standard deviation `sigma` pixels (kernel radius
    /// ⌈3σ⌉, at most `side − 1`; borders reflected as for `sharpness`). σ ≤ 0 returns the input.
    public static func blur(_ pixels: [Float], side: Int, sigma: Float) -> [Float] {
        precondition(side >= 2 && pixels.count == side * side)
        guard sigma > 0 else { return pixels }
        let radius = min(max(1, Int((3 * sigma).rounded(.up))), side - 1)
        var kernel = (-radius...radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let norm = kernel.reduce(0, +)
        for i in kernel.indices { kernel[i] /= norm }
        // Each pass sums the taps in ascending order into a zeroed row, with the borders reflected once into
        // a padded row (horizontal) or through a row table (vertical), so the inner loops run over contiguous
        // pixels and vectorise; the sums are the same as tap by tap per pixel.
        let width = side + 2 * radius
        var rows = [Float](repeating: 0, count: pixels.count)
        var out = [Float](repeating: 0, count: pixels.count)
        var padded = [Float](repeating: 0, count: width)
        pixels.withUnsafeBufferPointer { src in
        kernel.withUnsafeBufferPointer { kern in
        padded.withUnsafeMutableBufferPointer { pad in
        rows.withUnsafeMutableBufferPointer { mid in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<side {
                let line = src.baseAddress! + y * side
                for i in 0..<width { pad[i] = line[reflect(i - radius, side)] }
                let row = mid.baseAddress! + y * side
                for k in 0..<kern.count {
                    let w = kern[k], shifted = pad.baseAddress! + k
                    for x in 0..<side { row[x] += w * shifted[x] }
                }
            }
            for y in 0..<side {
                let row = dst.baseAddress! + y * side
                for k in 0..<kern.count {
                    let w = kern[k], source = mid.baseAddress! + reflect(y + k - radius, side) * side
                    for x in 0..<side { row[x] += w * source[x] }
                }
            }
        }}}}}
        return out
    }

    /// The largest blur `normalize` applies, in pixels.
    public static let maximumSigma: Float = 8

    /// The σ that `normalize` would blur `pixels` with: 0 when the image is at or below `target`, else the
    /// smallest σ (found by bisection to within 0.01 px, at most `maximumSigma`) whose blur is, measured
    /// before rounding to bytes. (Rounding adds fine noise that a soft image's sharpness notices: a face
    /// blurred to 0.052 measures about 0.06 as bytes, inside the spread of the FER2013 train split,
    /// 0.044–0.062 between its quartiles; measured after rounding, no blur reaches the target.)
    public static func blurSigma(for pixels: [UInt8], side: Int, target: Float) -> Float {
        let values = pixels.map(Float.init)
        guard sharpness(of: values, side: side) > target else { return 0 }
        var low: Float = 0, high = maximumSigma
        if sharpness(of: blur(values, side: side, sigma: high), side: side) > target { return high }
        while high - low > 0.01 {
            let mid = (low + high) / 2
            if sharpness(of: blur(values, side: side, sigma: mid), side: side) > target { low = mid } else { high = mid }
        }
        return high
    }

    /// `pixels` brought down to sharpness `target` (see the type's documentation), rounded to bytes.
    public static func normalize(_ pixels: [UInt8], side: Int, target: Float) -> [UInt8] {
        let sigma = blurSigma(for: pixels, side: side, target: target)
        guard sigma > 0 else { return pixels }
        return bytes(blur(pixels.map(Float.init), side: side, sigma: sigma))
    }

    /// Gray values rounded and clamped to bytes.
    static func bytes(_ values: [Float]) -> [UInt8] { values.map { UInt8(min(max($0.rounded(), 0), 255)) } }

    /// The median sharpness of `count` images of `side × side` bytes stored one after another: the target
    /// a training run picks when asked for `auto`.
    public static func medianSharpness(of images: [UInt8], side: Int) -> Float {
        let plane = side * side
        let count = images.count / plane
        guard count > 0 else { return 0 }
        var values = (0..<count).map { sharpness(of: Array(images[($0 * plane)..<(($0 + 1) * plane)]), side: side) }
        values.sort()
        return count % 2 == 1 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2
    }

    /// Reflects an index into `0..<n` without repeating the edge (`-1 → 1`, `n → n − 2`).
    @inline(__always) static func reflect(_ i: Int, _ n: Int) -> Int {
        if i < 0 { return -i }
        if i >= n { return 2 * n - 2 - i }
        return i
    }
}
