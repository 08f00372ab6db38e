import FaceDetection
import SessionStore
import TestSupport
import XCTest
@testable import Analysis

final class AnalysisConfigurationTests: XCTestCase {
    /// The minimum face is given in source pixels (default a tenth of the frame height) and converted to
    /// detection pixels: a 1280×720 video detected at 640 wide with the default looks for faces of
    /// 72 / 2 = 36 pixels; a video narrower than the detection width is not scaled.
    func testMinimumFaceInDetectionPixels() throws {
        var configuration = AnalysisConfiguration()
        XCTAssertEqual(try configuration.detectionParameters(sourceWidth: 1280, sourceHeight: 720).minSize.width, 36)
        XCTAssertEqual(try configuration.detectionParameters(sourceWidth: 640, sourceHeight: 360).minSize.width, 36)
        XCTAssertEqual(try configuration.detectionParameters(sourceWidth: 480, sourceHeight: 270).minSize.width, 27)
        configuration.minimumFace = 100
        configuration.detectionWidth = 480
        // 1920 wide → scale 0.25: 100 source pixels are 25 detection pixels.
        XCTAssertEqual(try configuration.detectionParameters(sourceWidth: 1920, sourceHeight: 1080).minSize.width, 25)
        XCTAssertEqual(configuration.detectionScale(sourceWidth: 1920), 0.25)
    }

    /// The stored detector parameters are sorted JSON that changes with every setting that changes results.
    func testDetectorParametersJSON() {
        var configuration = AnalysisConfiguration()
        configuration.detector = .haar
        let standard = configuration.detectorParametersJSON(digest: nil)
        XCTAssertEqual(standard, #"{"crop_margin":0.02,"detection_width":640,"exact_decode":false,"min_face":"frame_height\/10","min_neighbors":5,"scale_factor":1.1}"#)
        configuration.scaleFactor = 1.3
        XCTAssertTrue(configuration.detectorParametersJSON(digest: nil).contains(#""scale_factor":1.3}"#))
        configuration.minimumFace = 48
        XCTAssertTrue(configuration.detectorParametersJSON(digest: "abc").contains(#""cascade_sha256":"abc""#))
        XCTAssertTrue(configuration.detectorParametersJSON(digest: nil).contains(#""min_face":48"#))
        configuration.cropMargin = 0.1
        XCTAssertTrue(configuration.detectorParametersJSON(digest: nil).contains(#""crop_margin":0.1,"#))
    }

    /// BlazeFace, the default, stores its weights' digest, score thresholds and crop framing; the cascade
    /// settings that do not apply to it are left out.
    func testBlazeFaceParametersJSON() {
        var configuration = AnalysisConfiguration()
        XCTAssertEqual(configuration.detector, .blazeface)
        XCTAssertEqual(configuration.detectorParametersJSON(digest: "d1"), #"{"aligned_crops":true,"crop_lift":0.1,"crop_margin":0.08,"detection_width":640,"exact_decode":false,"min_face":"frame_height\/10","partial_view_score_threshold":0.75,"score_threshold":0.5,"tile_cycle_s":10,"tile_layout":"pyramid","weights_sha256":"d1"}"#)
        configuration.cropMargin = 0.2
        XCTAssertEqual(configuration.framing, FaceFraming(margin: 0.2, lift: 0.1))
    }

    /// Out-of-range options are refused with a line naming the option.
    func testValidation() {
        func message(_ change: (inout AnalysisConfiguration) -> Void) -> String? {
            var configuration = AnalysisConfiguration()
            change(&configuration)
            do { try configuration.validate(); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(message { _ in })
        XCTAssertEqual(message { $0.sampleRate = 0 }, "sampling rate must be between one sample an hour (1/3600) and 1000 samples per second, got 0.0")
        // Issue 22: a rate of 1e-9 was accepted (one sample; `sessions` showed 4.94066e-324/s).
        XCTAssertEqual(message { $0.sampleRate = 1e-9 }, "sampling rate must be between one sample an hour (1/3600) and 1000 samples per second, got 1e-09")
        XCTAssertNil(message { $0.sampleRate = 1.0 / 3600 })
        XCTAssertEqual(message { $0.detectionWidth = 16 }, "detection width must be at least 32 pixels, got 16")
        XCTAssertEqual(message { $0.minimumFace = 0 }, "minimum face size must be at least 1 pixel, got 0")
        XCTAssertEqual(message { $0.scaleFactor = 1 }, "scale factor must be greater than 1 and at most 2, got 1.0")
        XCTAssertEqual(message { $0.minimumNeighbors = 0 }, "minimum neighbours must be at least 1, got 0")
    }

    /// `haar` and `lbp` name Debian's cascades; anything else is a file; names identify them in runs.
    func testDetectorChoice() throws {
        XCTAssertEqual(DetectorChoice(argument: "BlazeFace"), .blazeface)
        XCTAssertEqual(DetectorChoice.standard, .blazeface)
        XCTAssertEqual(DetectorChoice.blazeface.name, "blazeface-short-range")
        XCTAssertEqual(DetectorChoice.blazeface.framing, .blazeFace)
        XCTAssertEqual(DetectorChoice.lbp.framing, .haar)
        let loaded = try DetectorChoice.blazeface.load()
        XCTAssertEqual(loaded.digest, try ContentHash.sha256(fileAt: TestPaths.repoRoot.appendingPathComponent(
            "Sources/FaceDetection/Models/blazeface-short-range.safetensors")))
        XCTAssertNil(try DetectorChoice.haar.load().digest)
        XCTAssertEqual(DetectorChoice(argument: "haar"), .haar)
        XCTAssertEqual(DetectorChoice(argument: "LBP"), .lbp)
        XCTAssertEqual(DetectorChoice(argument: "my.xml"), .file(URL(fileURLWithPath: "my.xml")))
        XCTAssertEqual(DetectorChoice.haar.name, "haar-frontalface-default")
        XCTAssertEqual(DetectorChoice.lbp.name, "lbp-frontalface-improved")
        XCTAssertEqual(DetectorChoice(argument: "/x/y/cascade.xml").name, "cascade:cascade.xml")
        XCTAssertThrowsError(try DetectorChoice(argument: "/no/such.xml").load()) { error in
            XCTAssertEqual("\(error)", "cascade /no/such.xml: no such file")
        }
    }
}
