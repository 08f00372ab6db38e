import FaceDetection
import TestSupport
import VideoIO
import XCTest
@testable import Analysis

/// The analysis crop path for labelled stills (`evaluate --through-detector`).
final class StillFaceCropTests: XCTestCase {
    private func path() throws -> StillFaceCrop {
        StillFaceCrop(detector: try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 1), scale: 2)
    }

    /// A 2×2 image enlarged twice (bilinear, pixel centres aligned: corners keep their values, inner samples
    /// interpolate at ±¼) sits in the middle of an 8×8 canvas of gray 128.
    func testCanvasHoldsTheEnlargedImageInTheMiddle() throws {
        let (pixels, side) = try path().canvas([0, 100, 200, 40], side: 2)
        XCTAssertEqual(side, 8)
        XCTAssertEqual(Array(pixels[(2 * 8 + 2)..<(2 * 8 + 6)]), [0, 25, 75, 100])
        XCTAssertEqual(Array(pixels[(5 * 8 + 2)..<(5 * 8 + 6)]), [200, 160, 80, 40])
        XCTAssertEqual(Array(pixels[0..<8]), [UInt8](repeating: 128, count: 8))
        XCTAssertEqual(pixels[3 * 8 + 1], 128)
        XCTAssertEqual(pixels[3 * 8 + 6], 128)
    }

    /// A FER2013 face is found and cut at the asked size, the crop being the `FaceCrop` of the largest box;
    /// a flat image has no face.
    func testFindsAFERFaceAndNotAFlatImage() throws {
        let still = try StillImage.decodeGray(contentsOf: TestPaths.ferMini.appendingPathComponent(
            "val/happy/" + firstFile(in: "val/happy")))
        let haar = try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 1)
        let cropper = StillFaceCrop(detector: haar)
        let (canvas, side) = cropper.canvas(still.pixels, side: 48)
        let faces = haar.detect(pixels: canvas, width: side, height: side)
        let largest = try XCTUnwrap(faces.max { $0.box.area < $1.box.area }, "Haar finds this face")
        let crop = try XCTUnwrap(cropper.crop(still.pixels, side: 48, outputSize: 48))
        XCTAssertEqual(crop, FaceCrop.crop(pixels: canvas, width: side, height: side, face: largest.box, outputSize: 48))
        XCTAssertNil(cropper.crop([UInt8](repeating: 90, count: 48 * 48), side: 48, outputSize: 48))
        let both = cropper.crops(of: [still.pixels, [UInt8](repeating: 90, count: 48 * 48)], side: 48, outputSize: 48,
                                 threads: 2)
        XCTAssertEqual(both, [crop, nil])
    }

    /// Through BlazeFace (the default detector) the same face is found, and the crop is `FaceCrop`'s for the
    /// best face with BlazeFace's framing, turned by its eye line.
    func testBlazeFaceCropsTheFaceUpright() throws {
        let still = try StillImage.decodeGray(contentsOf: TestPaths.ferMini.appendingPathComponent(
            "val/happy/" + firstFile(in: "val/happy")))
        let loaded = try DetectorChoice.blazeface.load()
        let cropper = StillFaceCrop(detector: loaded)
        let (canvas, side) = cropper.canvas(still.pixels, side: 48)
        let faces = loaded.makeDetector().faces(in: canvas, width: side, height: side)
        XCTAssertEqual(faces.count, 1)
        let face = try XCTUnwrap(faces.first)
        XCTAssertEqual(face.keypoints.count, 6)
        // The face sits in the canvas's middle 192 × 192.
        XCTAssertTrue(FaceBox(x: 96, y: 96, width: 192, height: 192).intersectionOverUnion(face.box) > 0.5, "\(face.box)")
        let crop = try XCTUnwrap(cropper.crop(still.pixels, side: 48, outputSize: 48))
        XCTAssertEqual(crop, FaceCrop.crop(pixels: canvas, width: side, height: side, face: face, framing: .blazeFace,
                                           outputSize: 48))
        XCTAssertNil(cropper.crop([UInt8](repeating: 90, count: 48 * 48), side: 48, outputSize: 48))
    }

    private func firstFile(in folder: String) throws -> String {
        try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: TestPaths.ferMini.appendingPathComponent(folder).path)
            .sorted().first)
    }
}
