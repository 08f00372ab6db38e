import Foundation

/// The crop the emotion classifier sees: one geometry shared by analysis and training preprocessing, so
/// both frame faces the same way.
///
/// `square` turns a detection box into a square around it: the box's longer side grown by `margin` ×
/// side on each side, centred on the box, then shifted (not shrunk) to lie inside the frame, and shrunk
/// only when the frame itself is smaller. `extract` resizes that square to `outputSize` × `outputSize`
/// gray pixels with bilinear interpolation (pixel centres aligned, edge pixels repeated), optionally turned
/// by an angle about the square's centre so that a tilted face comes out upright (`eyeLineAngle`: the angle of
/// the line from the subject's right eye to their left eye, which a detector with keypoints gives). Angle 0 is
/// the plain axis-aligned crop, bit for bit.
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

    /// The angle (radians, clockwise on screen since y points down) of the line from the subject's right eye
    /// to their left eye (the right eye shows on the image's left): 0 for an upright face, positive when the
    /// face leans so that its left eye (image right) is lower. `extract` with this angle levels the eyes.
    public static func eyeLineAngle(rightEye: FacePoint, leftEye: FacePoint) -> Double {
        let dx = leftEye.x - rightEye.x, dy = leftEye.y - rightEye.y
        return dx == 0 && dy == 0 ? 0 : atan2(dy, dx)
    }

    /// Resizes the `box` part of a gray image (`width` × `height`, rows packed) to `outputSize` ×
    /// `outputSize` with bilinear interpolation. Parts of the box outside the image repeat the nearest
    /// edge pixel. Returns `outputSize²` bytes (all zero when the image or box is empty).
    ///
    /// With a non-zero `angle` (radians) the box is turned by that angle about its centre before it is read:
    /// the output's x axis runs along the direction (cos angle, sin angle) of the image, its y axis along
    /// (−sin angle, cos angle), so content lying along that angle comes out horizontal. Angle 0 is exactly the
    /// unturned crop.
    public static func extract(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, box: FaceBox,
                               outputSize: Int = defaultOutputSize, angle: Double = 0) -> [UInt8] {
        precondition(outputSize >= 0 && pixels.count >= width * height, "crop: pixel buffer smaller than the image")
        var out = [UInt8](repeating: 0, count: outputSize * outputSize)
        guard width > 0, height > 0, !box.isEmpty, outputSize > 0 else { return out }
        let scaleX = Double(box.width) / Double(outputSize), scaleY = Double(box.height) / Double(outputSize)
        if angle != 0, angle.isFinite {
            extractTurned(pixels: pixels, width: width, height: height, box: box, outputSize: outputSize,
                          scaleX: scaleX, scaleY: scaleY, angle: angle, into: &out)
            return out
        }
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

    /// The turned sampling of `extract`: output pixel (i, j) reads the image at the box centre plus the
    /// turned offset of where it would read unturned, bilinearly, edge pixels repeated.
    private static func extractTurned(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, box: FaceBox,
                                      outputSize: Int, scaleX: Double, scaleY: Double, angle: Double,
                                      into out: inout [UInt8]) {
        let cosine = cos(angle), sine = sin(angle)
        // The centre in the coordinates bilinear taps use (pixel k's centre at k).
        let cx = Double(box.x) + Double(box.width) / 2 - 0.5, cy = Double(box.y) + Double(box.height) / 2 - 0.5
        func sample(_ x: Double, _ y: Double) -> Float {
            let xl = x.rounded(.down), yl = y.rounded(.down)
            let wx = Float(x - xl), wy = Float(y - yl)
            func clampedIndex(_ v: Double, _ limit: Int) -> Int { Int(min(max(v, 0), Double(limit - 1))) }
            let x0 = clampedIndex(xl, width), x1 = clampedIndex(xl + 1, width)
            let y0 = clampedIndex(yl, height), y1 = clampedIndex(yl + 1, height)
            let top = Float(pixels[y0 * width + x0]) * (1 - wx) + Float(pixels[y0 * width + x1]) * wx
            let bottom = Float(pixels[y1 * width + x0]) * (1 - wx) + Float(pixels[y1 * width + x1]) * wx
            return top * (1 - wy) + bottom * wy
        }
        for j in 0..<outputSize {
            let dy = (Double(j) + 0.5) * scaleY - Double(box.height) / 2
            for i in 0..<outputSize {
                let dx = (Double(i) + 0.5) * scaleX - Double(box.width) / 2
                let value = sample(cx + cosine * dx - sine * dy, cy + sine * dx + cosine * dy)
                out[j * outputSize + i] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
    }

    /// `extract` on a pixel array.
    public static func extract(pixels: [UInt8], width: Int, height: Int, box: FaceBox,
                               outputSize: Int = defaultOutputSize, angle: Double = 0) -> [UInt8] {
        pixels.withUnsafeBufferPointer {
            extract(pixels: $0, width: width, height: height, box: box, outputSize: outputSize, angle: angle)
        }
    }

    /// The classifier input for a detected face: `square` then `extract`, turned by `angle` (see `extract`).
    public static func crop(pixels: [UInt8], width: Int, height: Int, face: FaceBox, margin: Double = defaultMargin,
                            outputSize: Int = defaultOutputSize, angle: Double = 0) -> [UInt8] {
        extract(pixels: pixels, width: width, height: height,
                box: square(box: face, margin: margin, imageWidth: width, imageHeight: height), outputSize: outputSize,
                angle: angle)
    }

    /// The crop square and angle for a face a `FaceDetector` found: the box moved toward the top of the face by
    /// `framing.lift` × its longer side (along the face's up direction, perpendicular to the eye line), then
    /// `square` with `framing.margin`; the angle levels the eyes when the detector gave eye keypoints
    /// (`eyeLineAngle`), else 0.
    public static func placement(of face: DetectedFace, framing: FaceFraming, imageWidth: Int,
                                 imageHeight: Int) -> (square: FaceBox, angle: Double) {
        let angle = face.eyes.map { eyeLineAngle(rightEye: $0.right, leftEye: $0.left) } ?? 0
        var box = face.box
        if framing.lift != 0 {
            // The face's up direction is the eye line's direction turned a quarter back: (sin a, −cos a).
            let shift = framing.lift * Double(max(box.width, box.height))
            box = box.offsetBy(dx: Int((shift * sin(angle)).rounded()), dy: Int((-shift * cos(angle)).rounded()))
        }
        return (square(box: box, margin: framing.margin, imageWidth: imageWidth, imageHeight: imageHeight), angle)
    }

    /// The classifier input for a face a `FaceDetector` found: `placement`, then `extract` turned by its angle.
    public static func crop(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, face: DetectedFace,
                            framing: FaceFraming, outputSize: Int = defaultOutputSize) -> [UInt8] {
        let (box, angle) = placement(of: face, framing: framing, imageWidth: width, imageHeight: height)
        return extract(pixels: pixels, width: width, height: height, box: box, outputSize: outputSize, angle: angle)
    }

    /// `crop(pixels:width:height:face:framing:outputSize:)` on a pixel array.
    public static func crop(pixels: [UInt8], width: Int, height: Int, face: DetectedFace, framing: FaceFraming,
                            outputSize: Int = defaultOutputSize) -> [UInt8] {
        pixels.withUnsafeBufferPointer { crop(pixels: $0, width: width, height: height, face: face, framing: framing,
                                              outputSize: outputSize) }
    }
}
