import XCTest
@testable import FaceDetection

/// Loading OpenCV's shipped cascades, and one clear error line for every kind of bad cascade file.
final class CascadeLoadingTests: XCTestCase {
    /// A minimal valid Haar cascade: one stage, one stump on a two-rectangle feature, 4x4 window.
    static let tinyCascade = """
        <?xml version="1.0"?>
        <!-- hand-made test cascade -->
        <opencv_storage>
        <cascade type_id="opencv-cascade-classifier">
          <stageType>BOOST</stageType>
          <featureType>HAAR</featureType>
          <height>4</height>
          <width>4</width>
          <featureParams><maxCatCount>0</maxCatCount></featureParams>
          <stages>
            <_>
              <stageThreshold>-1.0</stageThreshold>
              <weakClassifiers>
                <_>
                  <internalNodes>0 -1 0 1.5e-01</internalNodes>
                  <leafValues>-5.0e-01 5.0e-01</leafValues></_></weakClassifiers></_></stages>
          <features>
            <_>
              <rects>
                <_>0 0 4 2 -1.</_>
                <_>0 2 4 2 1.</_></rects></_></features></cascade>
        </opencv_storage>
        """

    private func load(_ xml: String, file: StaticString = #filePath, line: UInt = #line) throws -> Cascade {
        try Cascade(xml: Array(xml.utf8), source: "test.xml")
    }

    /// Loading must fail with `kind`, one line naming the source, containing `fragment`.
    private func assertFails(_ xml: String, _ kind: CascadeError.Kind, _ fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(xml), file: file, line: line) { error in
            guard let error = error as? CascadeError else {
                return XCTFail("unexpected error \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.kind, kind, error.description, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("cascade test.xml: "), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(fragment), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    func testTinyCascadeLoads() throws {
        let cascade = try load(Self.tinyCascade)
        XCTAssertEqual(cascade.featureType, .haar)
        XCTAssertEqual(cascade.windowWidth, 4)
        XCTAssertEqual(cascade.windowHeight, 4)
        XCTAssertEqual(cascade.stages.count, 1)
        XCTAssertEqual(cascade.stages[0].threshold, -1)
        XCTAssertEqual(cascade.stages[0].trees, [Cascade.Tree(
            nodes: [Cascade.Node(left: 0, right: -1, featureIndex: 0, threshold: 0.15, categories: [])],
            leaves: [-0.5, 0.5])])
        XCTAssertEqual(cascade.haarFeatures, [Cascade.HaarFeature(rects: [
            Cascade.HaarRect(x: 0, y: 0, width: 4, height: 2, weight: -1),
            Cascade.HaarRect(x: 0, y: 2, width: 4, height: 2, weight: 1)], tilted: false)])
        XCTAssertTrue(cascade.isStumpBased)
        XCTAssertFalse(cascade.hasTiltedFeatures)
    }

    /// Every new-format cascade Debian's opencv-data ships loads; sizes checked for the two face models.
    func testShippedCascadesLoad() throws {
        let haar = try Cascade(contentsOf: Cascade.defaultHaarURL)
        XCTAssertEqual(haar.featureType, .haar)
        XCTAssertEqual(haar.windowWidth, 24)
        XCTAssertEqual(haar.stages.count, 25)
        XCTAssertEqual(haar.stages.reduce(0) { $0 + $1.trees.count }, 2913)
        XCTAssertEqual(haar.haarFeatures.count, 2913)
        XCTAssertTrue(haar.isStumpBased)
        XCTAssertEqual(haar.stages[0].threshold, Float(-5.0425500869750977))

        let lbp = try Cascade(contentsOf: Cascade.defaultLBPURL)
        XCTAssertEqual(lbp.featureType, .lbp)
        XCTAssertEqual(lbp.windowWidth, 45)
        XCTAssertEqual(lbp.categoryCount, 256)
        XCTAssertEqual(lbp.stages.count, 19)
        XCTAssertTrue(lbp.stages.allSatisfy { $0.trees.allSatisfy { $0.nodes[0].categories.count == 8 } })

        var loaded = 0
        for folder in ["haarcascades", "lbpcascades"] {
            let dir = "/usr/share/opencv4/\(folder)"
            for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".xml") {
                if name == "haarcascade_licence_plate_rus_16stages.xml" { continue }  // old format, below
                XCTAssertNoThrow(try Cascade(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)")), name)
                loaded += 1
            }
        }
        XCTAssertEqual(loaded, 21)
        XCTAssertTrue(try Cascade(contentsOf: URL(fileURLWithPath:
            "/usr/share/opencv4/haarcascades/haarcascade_upperbody.xml")).hasTiltedFeatures)
        XCTAssertFalse(try Cascade(contentsOf: URL(fileURLWithPath:
            "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml")).isStumpBased)
    }

    func testMissingFile() {
        XCTAssertThrowsError(try Cascade(contentsOf: URL(fileURLWithPath: "/nonexistent/face.xml"))) { error in
            XCTAssertEqual((error as? CascadeError)?.kind, .unreadable)
            XCTAssertEqual("\(error)", "cascade /nonexistent/face.xml: no such file")
        }
    }

    func testOldFormatCascadeIsRejected() {
        let path = "/usr/share/opencv4/haarcascades/haarcascade_licence_plate_rus_16stages.xml"
        XCTAssertThrowsError(try Cascade(contentsOf: URL(fileURLWithPath: path))) { error in
            XCTAssertEqual((error as? CascadeError)?.kind, .notACascade)
            XCTAssertTrue("\(error)".contains("old-format"), "\(error)")
        }
    }

    func testTruncatedFile() throws {
        let full = try String(contentsOf: Cascade.defaultHaarURL, encoding: .utf8)
        assertFails(String(full.prefix(full.count / 2)), .malformedXML, "unexpected end of file")
        assertFails(String(Self.tinyCascade.prefix(40)), .malformedXML, "unexpected end of file")
    }

    func testNotXML() {
        assertFails("", .malformedXML, "no root element")
        assertFails("P5\n4 4\n255\n\u{01}\u{02}", .malformedXML, "outside the root element")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "</rects>", with: "</rect>"), .malformedXML,
                    "end tag </rect> does not match <rects>")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "<height>", with: "<height x=1>"), .malformedXML,
                    "unquoted attribute")
    }

    func testWrongRootElement() {
        assertFails(Self.tinyCascade.replacingOccurrences(of: "opencv_storage", with: "storage"), .notACascade,
                    "root element is <storage>, expected <opencv_storage>")
        assertFails("<opencv_storage><camera_matrix>1 2 3</camera_matrix></opencv_storage>", .notACascade,
                    "<camera_matrix> is not a cascade classifier")
        assertFails("<opencv_storage/>", .notACascade, "<opencv_storage> is empty")
    }

    func testUnsupportedTypes() {
        assertFails(Self.tinyCascade.replacingOccurrences(of: "BOOST", with: "TREE"), .notACascade,
                    "stageType 'TREE' is not supported")
        assertFails(Self.tinyCascade.replacingOccurrences(of: ">HAAR<", with: ">HOG<"), .notACascade,
                    "featureType 'HOG' is not supported")
    }

    func testStageWithoutClassifiers() {
        let start = Self.tinyCascade.range(of: "<weakClassifiers>")!.upperBound
        let end = Self.tinyCascade.range(of: "</weakClassifiers>")!.lowerBound
        assertFails(Self.tinyCascade.replacingCharacters(in: start..<end, with: ""), .invalidContent,
                    "stage 0 has no weak classifiers")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "<stages>", with: "<stages></stages><x>")
                        .replacingOccurrences(of: "</stages>\n", with: "</x>\n"),
                    .invalidContent, "<stages> is empty")
    }

    func testFeatureIndexOutOfRange() {
        assertFails(Self.tinyCascade.replacingOccurrences(of: "0 -1 0 1.5e-01", with: "0 -1 7 1.5e-01"),
                    .invalidContent, "stage 0, weak classifier 0: feature index 7 is out of range (1 features)")
    }

    func testBadNumbersAndGeometry() {
        assertFails(Self.tinyCascade.replacingOccurrences(of: "-1.0", with: "low"), .invalidContent,
                    "'low' is not a number")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "-5.0e-01 5.0e-01", with: "-5.0e-01"), .invalidContent,
                    "1 leaf values for 1 nodes, expected 2")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "0 -1 0 1.5e-01", with: "0 -1 0"), .invalidContent,
                    "internalNodes holds 3 numbers")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "0 -1 0 1.5e-01", with: "0 -5 0 1.5e-01"), .invalidContent,
                    "node 0 points to leaf 5")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "0 2 4 2 1.", with: "0 3 4 2 1."), .invalidContent,
                    "rectangle 0 3 4 2 lies outside the 4x4 window")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "<width>4</width>", with: "<width>0</width>"),
                    .invalidContent, "window size 0x4 is not positive")
        assertFails(Self.tinyCascade.replacingOccurrences(of: "<width>4</width>", with: ""), .invalidContent,
                    "missing <width>")
    }
}
