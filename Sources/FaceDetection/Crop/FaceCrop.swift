/// The crop the emotion classifier sees: one geometry shared by analysis and training preprocessing, so
/// both frame faces the same way.
///
/// `square` turns a detection box into a square around it: the box's longer side grown by `margin` ×
/// side on each side, centred on the box, then shifted (not shrunk) to lie inside the frame, and shrunk
/// only when the frame itself is smaller. `extract` resizes that square to `outputSize` × `outputSize`
/// gray pixels with bilinear interpolation (pixel centres aligned, edge pixels repeated).
///
/// The default margin, 0.02, reproduces FER2013's framing: on 277 FER2013 val faces (every 10th image,
/// enlarged 4× on a gray canvas) OpenCV's Haar box side is a median 1/1.04 of the FER crop side
/// (`Fixtures/faces/measure_fer_margin.py`), so a Haar box grown by 2% on each side frames a face as
/// the training data does.
public enum FaceCrop {
    /// Fraction of the box side added on each side (see the type's documentation).
    public static let defaultMargin = 0.02
    /// The classifier's input side (48 × 48 gray, as FER2013).
    public static let defaultOutputSize = 48

    /// The square crop box around `box` in an `imageWidth` × `imageHeight` frame (empty when the frame is).
    /// `margin` is clamped to -0.45 ... 100.
    public static func square(box: FaceBox, margin: Double = defaultMargin, imageWidth: Int, imageHeight: Int) -> FaceBox {
        let safeMargin = margin.isNaN ? defaultMargin : min(max(margin, -0.45), 100)
        let grown = Double(max(box.width, box.height)) * (1 + 2 * safeMargin)
        let side = max(0, min(Int(grown.rounded()), imageWidth, imageHeight))
        let left = Int((box.centerX - Double(side) / 2).rounded())
        let top = Int((box.centerY - Double(side) / 2).rounded())
        return FaceBox(x: min(max(left, 0), imageWidth - side), y: min(max(top, 0), imageHeight - side),
                       width: side, height: side)
    }

    /// Resizes the `box` part of a gray image (`width` × `height`, rows packed) to `outputSize` ×
    /// `outputSize` with bilinear interpolation. Parts of the box outside the image repeat the nearest
    /// edge pixel. Returns `outputSize²` bytes (all zero when the image or box is empty).
    public static func extract(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, box: FaceBox,
                               outputSize: Int = defaultOutputSize) -> [UInt8] {
        precondition(outputSize >= 0 && pixels.count >= width * height, "crop: pixel buffer smaller than the image")
        var out = [UInt8](repeating: 0, count: outputSize * outputSize)
        guard width > 0, height > 0, !box.isEmpty, outputSize > 0 else { return out }
        let scaleX = Double(box.width) / Double(outputSize), scaleY = Double(box.height) / Double(outputSize)
        /// Source index pair and weight of the second for output coordinate `i`.
        func taps(_ i: Int, scale: Double, origin: Int, limit: Int) -> (Int, Int, Float) {
            let position = Double(origin) + (Double(i) + 0.5) * scale - 0.5
            let low = Int(position.rounded(.down))
            let weight = Float(position - Double(low))
            return (min(max(low, 0), limit - 1), min(max(low + 1, 0), limit - 1), weight)
        }
        let columns = (0..<outputSize).map { taps($0, scale: scaleX, origin: box.x, limit: width) }
        for y in 0..<outputSize {
            let (y0, y1, wy) = taps(y, scale: scaleY, origin: box.y, limit: height)
            let row0 = y0 * width, row1 = y1 * width
            for x in 0..<outputSize {
                let (x0, x1, wx) = columns[x]
                let top = Float(pixels[row0 + x0]) * (1 - wx) + Float(pixels[row0 + x1]) * wx
                let bottom = Float(pixels[row1 + x0]) * (1 - wx) + Float(pixels[row1 + x1]) * wx
                let value = top * (1 - wy) + bottom * wy
                out[y * outputSize + x] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
        return out
    }

    /// `extract` on a pixel array.
    public static func extract(pixels: [UInt8], width: Int, height: Int, box: FaceBox,
                               outputSize: Int = defaultOutputSize) -> [UInt8] {
        pixels.withUnsafeBufferPointer { extract(pixels: $0, width: width, height: height, box: box, outputSize: outputSize) }
    }

    /// The classifier input for a detected face: `square` then `extract`.
    public static func crop(pixels: [UInt8], width: Int, height: Int, face: FaceBox, margin: Double = defaultMargin,
                            outputSize: Int = defaultOutputSize) -> [UInt8] {
        extract(pixels: pixels, width: width, height: height,
                box: square(box: face, margin: margin, imageWidth: width, imageHeight: height), outputSize: outputSize)
    }
}
