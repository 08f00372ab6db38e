import XCTest
import FaceDetection

/// The turned crop (`FaceCrop.extract(angle:)`) and the placement of a detector's face (`FaceCrop.placement`),
/// against values worked out by hand.
final class FaceCropRotationTests: XCTestCase {
    /// 4 × 4 image, pixel (x, y) = 10·y + x.
    private let pattern: [UInt8] = (0..<16).map { (k: Int) -> UInt8 in UInt8(10 * (k / 4) + k % 4) }
    private let whole = FaceBox(x: 0, y: 0, width: 4, height: 4)

    /// Angle 0 is the unturned crop bit for bit (here, and on a real resampling case).
    func testZeroAngleIsTheUnturnedCrop() {
        XCTAssertEqual(FaceCrop.extract(pixels: pattern, width: 4, height: 4, box: whole, outputSize: 4, angle: 0), pattern)
        let ramp = (0..<(37 * 29)).map { UInt8(($0 * 7) % 251) }
        let box = FaceBox(x: 3, y: -2, width: 20, height: 20)
        XCTAssertEqual(FaceCrop.extract(pixels: ramp, width: 37, height: 29, box: box, outputSize: 48, angle: 0),
                       FaceCrop.extract(pixels: ramp, width: 37, height: 29, box: box, outputSize: 48))
    }

    /// Turned a quarter (π/2) about the centre (1.5, 1.5): output (i, j) reads the image at
    /// (1.5 − (j − 1.5), 1.5 + (i − 1.5)) = (3 − j, i), so output row j holds column 3 − j top to bottom:
    /// out(i, j) = 10·i + 3 − j. Turned half (π), it reads (3 − i, 3 − j): the pattern upside down.
    func testQuarterAndHalfTurns() {
        let quarter = FaceCrop.extract(pixels: pattern, width: 4, height: 4, box: whole, outputSize: 4, angle: .pi / 2)
        let expected: [UInt8] = (0..<16).map { (k: Int) -> UInt8 in
            let i = k % 4, j = k / 4
            return UInt8(10 * i + 3 - j)
        }
        XCTAssertEqual(quarter, expected)
        let half = FaceCrop.extract(pixels: pattern, width: 4, height: 4, box: whole, outputSize: 4, angle: .pi)
        XCTAssertEqual(half, Array(pattern.reversed()))
    }

    /// A bright bar along a line at 30° through the centre of a 41 × 41 image comes out horizontal through the
    /// middle row when the crop is turned by 30°; unturned, the middle row crosses it in one spot.
    func testTurningLevelsATiltedLine() {
        let side = 41, angle = Double.pi / 6
        var image = [UInt8](repeating: 0, count: side * side)
        for t in stride(from: -18.0, through: 18.0, by: 0.25) {
            let x = Int((20 + t * cos(angle)).rounded()), y = Int((20 + t * sin(angle)).rounded())
            image[y * side + x] = 255
        }
        let box = FaceBox(x: 0, y: 0, width: side, height: side)
        let turned = FaceCrop.extract(pixels: image, width: side, height: side, box: box, outputSize: side, angle: angle)
        let middle = turned[(20 * side + 6)..<(20 * side + 35)]
        XCTAssertTrue(middle.allSatisfy { $0 > 100 }, "\(Array(middle))")
        XCTAssertTrue(turned[(10 * side)..<(11 * side)].allSatisfy { $0 < 60 })
        let plain = FaceCrop.extract(pixels: image, width: side, height: side, box: box, outputSize: side)
        XCTAssertLessThan(plain[(20 * side)..<(21 * side)].filter { $0 > 100 }.count, 5)
    }

    /// The eye line: right eye (image left) to left eye (image right); level gives 0, the left eye lower
    /// (face leaning to the image's right) a positive angle.
    func testEyeLineAngle() {
        XCTAssertEqual(FaceCrop.eyeLineAngle(rightEye: FacePoint(x: 10, y: 20), leftEye: FacePoint(x: 30, y: 20)), 0)
        XCTAssertEqual(FaceCrop.eyeLineAngle(rightEye: FacePoint(x: 10, y: 20), leftEye: FacePoint(x: 20, y: 30)), .pi / 4,
                       accuracy: 1e-12)
        XCTAssertEqual(FaceCrop.eyeLineAngle(rightEye: FacePoint(x: 5, y: 5), leftEye: FacePoint(x: 5, y: 5)), 0)
    }

    /// Placement: a face without keypoints is `square` of its box with the framing's margin, unturned; with
    /// level eyes and lift 0.1, a 100-pixel box moves up 10 pixels first; with eyes at 90° (face lying on its
    /// side, up pointing to the image's +x) it moves 10 pixels to the right instead.
    func testPlacementLiftsAlongTheFaceUpDirection() {
        let box = FaceBox(x: 200, y: 100, width: 100, height: 100)
        let plain = FaceCrop.placement(of: DetectedFace(box: box, neighbors: 3), framing: .haar, imageWidth: 640, imageHeight: 360)
        XCTAssertEqual(plain.square, FaceCrop.square(box: box, margin: 0.02, imageWidth: 640, imageHeight: 360))
        XCTAssertEqual(plain.angle, 0)

        let framing = FaceFraming(margin: 0, lift: 0.1)
        let level = DetectedFace(box: box, neighbors: 1, score: 0.9,
                                 keypoints: [FacePoint(x: 230, y: 140), FacePoint(x: 270, y: 140)])
        let placed = FaceCrop.placement(of: level, framing: framing, imageWidth: 640, imageHeight: 360)
        XCTAssertEqual(placed.square, FaceBox(x: 200, y: 90, width: 100, height: 100))
        XCTAssertEqual(placed.angle, 0)

        let sideways = DetectedFace(box: box, neighbors: 1, score: 0.9,
                                    keypoints: [FacePoint(x: 260, y: 130), FacePoint(x: 260, y: 170)])
        let turned = FaceCrop.placement(of: sideways, framing: framing, imageWidth: 640, imageHeight: 360)
        XCTAssertEqual(turned.square, FaceBox(x: 210, y: 100, width: 100, height: 100))
        XCTAssertEqual(turned.angle, .pi / 2, accuracy: 1e-12)
        // The crop is the turned extract of that square.
        let image = (0..<(640 * 360)).map { UInt8(($0 * 13) % 256) }
        XCTAssertEqual(FaceCrop.crop(pixels: image, width: 640, height: 360, face: sideways, framing: framing),
                       FaceCrop.extract(pixels: image, width: 640, height: 360, box: turned.square, angle: turned.angle))
    }
}
