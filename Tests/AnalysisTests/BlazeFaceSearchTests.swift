import Foundation
import TestSupport
import VideoIO
import XCTest
@testable import FaceDetection

/// `BlazeFaceSearch` on a stream: the tile turn, and small faces found by the tiles then followed in windows.
final class BlazeFaceSearchTests: XCTestCase {
    private func detector(minimumFace: Double) throws -> BlazeFaceDetector {
        BlazeFaceDetector(network: try BlazeFaceWeights.load(BlazeFaceWeights.locate()),
                          configuration: BlazeFaceConfiguration(minimumFaceSide: minimumFace))
    }

    /// 640 × 360 with a 36-pixel minimum face has 21 tiles (`BlazeFaceDetectorTests.testTiles`), each visited
    /// once in 10 s: at 4 frames/s that is 0.525 tile a frame, the first frame taking one at once: tiles at
    /// frames 0, 2, 4, …; all 21 by frame 39 (9.75 s; 1 + 0.525 · 39 = 21.475). Only the first view shows the
    /// whole frame.
    func testTileTurn() throws {
        let search = BlazeFaceSearch(detector: try detector(minimumFace: 36))
        let tiles = search.detector.tiles(width: 640, height: 360)
        var seen: [BlazeFaceView] = [], counts: [Int] = []
        for frame in 0..<40 {
            let views = search.views(width: 640, height: 360, timestamp: Double(frame) / 4)
            XCTAssertEqual(views.first, .letterbox(width: 640, height: 360))
            counts.append(views.count - 1)
            seen += views.dropFirst()
        }
        XCTAssertEqual(Array(counts.prefix(12)), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        XCTAssertEqual(seen, tiles)
        // No minimum face: no tiles at all.
        let plain = BlazeFaceSearch(detector: try detector(minimumFace: 0))
        XCTAssertEqual(plain.views(width: 640, height: 360, timestamp: 0).count, 1)
    }

    /// The five faces of multi_face.jpg at 640 pixels wide (54–70 pixels: 11–14 input pixels in the whole-frame
    /// view, too small for it) are found as the tiles come round (within 10 s) and then in every frame, each in a window of its
    /// own; Haar with the same minimum face finds the same five.
    func testSmallFacesAreFoundAndFollowed() throws {
        let photo = try StillImage.decodeGray(contentsOf: TestPaths.media("multi_face.jpg"))
        let width = 640, height = photo.height * 640 / photo.width
        // extract makes a square: read a square as wide as the photo and keep the rows that hold the photo.
        let scaled = FaceCrop.extract(pixels: photo.pixels, width: photo.width, height: photo.height,
                                      box: FaceBox(x: 0, y: 0, width: photo.width, height: photo.width), outputSize: width)
        let pixels = Array(scaled[0..<(width * height)])
        let haar = try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 1)
        let haarFaces = haar.detect(pixels: pixels, width: width, height: height,
                                    parameters: try DetectionParameters(minSize: PixelSize(width: 36, height: 36)))
        XCTAssertEqual(haarFaces.count, 5)

        let search = BlazeFaceSearch(detector: try detector(minimumFace: 36))
        var found: [Int] = []
        for k in 0..<44 {
            found.append(search.process(pixels: pixels, width: width, height: height, timestamp: Double(k) / 4).faces.count)
        }
        XCTAssertEqual(found.first, 0)
        XCTAssertEqual(Array(found.suffix(4)), [5, 5, 5, 5], "\(found)")
        // Once found, a face stays found: the counts never drop.
        XCTAssertEqual(found, found.sorted(), "\(found)")
        let views = search.views(width: width, height: height, timestamp: 11)
        XCTAssertGreaterThanOrEqual(views.count, 6)
        let summary = search.finish()
        XCTAssertEqual(summary.tracks.count, 5)
        // Each BlazeFace face is one of Haar's.
        let last = search.process(pixels: pixels, width: width, height: height, timestamp: 11.25).faces
        for face in last {
            XCTAssertTrue(haarFaces.contains { $0.box.intersectionOverUnion(face.face.box) > 0.3 }, "\(face.face.box)")
        }
    }
}
