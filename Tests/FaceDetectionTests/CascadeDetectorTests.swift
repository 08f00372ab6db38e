import XCTest
@testable import FaceDetection

/// Detector behaviour beyond parity: small inputs, regions, threads, parameter checks.
final class CascadeDetectorTests: XCTestCase {
    private static let haar = Result { try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 2) }

    private func multiFace() throws -> PGMImage { try PGMImage(contentsOf: FaceFixtures.url("images/multi_face.pgm")) }

    /// Frames (or regions) smaller than the 24x24 window give no faces, and no crash.
    func testFramesSmallerThanTheWindowGiveNoFaces() throws {
        let detector = try Self.haar.get()
        let noise = (0..<(23 * 40)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        XCTAssertEqual(detector.detect(pixels: noise, width: 23, height: 40), [])
        XCTAssertEqual(detector.detect(pixels: noise, width: 40, height: 23), [])
        XCTAssertEqual(detector.detect(pixels: [], width: 0, height: 0), [])
        let image = try multiFace()
        XCTAssertEqual(detector.detect(pixels: image.pixels, width: image.width, height: image.height,
                                       region: FaceBox(x: 500, y: 300, width: 20, height: 200)), [])
        XCTAssertEqual(detector.detect(pixels: image.pixels, width: image.width, height: image.height,
                                       region: FaceBox(x: 2000, y: 0, width: 100, height: 100)), [])
    }

    /// A flat frame has no texture: every window fails the variance check, so there are no faces.
    func testFlatFrameHasNoFaces() throws {
        let flat = [UInt8](repeating: 128, count: 320 * 240)
        XCTAssertEqual(try Self.haar.get().detect(pixels: flat, width: 320, height: 240,
                                                  parameters: DetectionParameters(minNeighbors: 0)), [])
    }

    /// Searching a region equals searching a copy of that region, with boxes moved back.
    func testRegionSearchEqualsSearchingACrop() throws {
        let detector = try Self.haar.get()
        let image = try multiFace()
        let region = FaceBox(x: 380, y: 170, width: 301, height: 233)
        var crop = [UInt8]()
        for y in region.y..<region.maxY {
            crop += image.pixels[(y * image.width + region.x)..<(y * image.width + region.maxX)]
        }
        let raw = try DetectionParameters(minNeighbors: 0)
        let inRegion = detector.detect(pixels: image.pixels, width: image.width, height: image.height, region: region,
                                       parameters: raw)
        let inCrop = detector.detect(pixels: crop, width: region.width, height: region.height, parameters: raw)
        XCTAssertFalse(inCrop.isEmpty)
        XCTAssertEqual(inRegion, inCrop.map { DetectedFace(box: $0.box.offsetBy(dx: region.x, dy: region.y), neighbors: 1) })
        // The face at (427, 208) is inside the region and found there.
        let grouped = detector.detect(pixels: image.pixels, width: image.width, height: image.height, region: region)
        XCTAssertTrue(grouped.contains { $0.box.intersectionOverUnion(FaceBox(x: 427, y: 208, width: 101, height: 101)) > 0.8 })
    }

    /// One thread and two threads give the same faces.
    func testThreadCountDoesNotChangeResults() throws {
        let image = try multiFace()
        let one = try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 1)
        let two = try Self.haar.get()
        XCTAssertEqual(one.detect(pixels: image.pixels, width: image.width, height: image.height),
                       two.detect(pixels: image.pixels, width: image.width, height: image.height))
    }

    func testParametersAreChecked() {
        XCTAssertThrowsError(try DetectionParameters(scaleFactor: 1.0)) { error in
            XCTAssertEqual("\(error)", "invalid face detection parameter: scale factor must be greater than 1, got 1.0")
        }
        XCTAssertThrowsError(try DetectionParameters(minNeighbors: -1))
        XCTAssertThrowsError(try DetectionParameters(minSize: PixelSize(width: -5, height: 10)))
        XCTAssertEqual(DetectionParameters.standard, try DetectionParameters())
    }
}
