import XCTest
import Training
import TestSupport

final class ImageFolderDatasetTests: XCTestCase {
    /// FER2013-mini train: 20 images per class in our label order, bytes as the ffmpeg CLI decodes them.
    func testLoadsFERMini() throws {
        var warnings: [String] = []
        let source = try DatasetSource(TestPaths.ferMini)
        XCTAssertEqual(source.kind, .folderTree)
        let sets = try source.load(required: ["train"], optional: ["val", "test"], side: 48, classNames: ourClasses,
                                   resize: noResize, warnings: &warnings)
        XCTAssertEqual(Set(sets.keys), ["train", "val"])
        XCTAssertEqual(warnings, [])
        let train = try XCTUnwrap(sets["train"])
        XCTAssertEqual(train.count, 140)
        XCTAssertEqual(train.classCounts, [20, 20, 20, 20, 20, 20, 20])
        XCTAssertEqual(sets["val"]?.classCounts, [10, 10, 10, 10, 10, 10, 10])
        // Files are read class by class in byte order of their names.
        let happy = try FileManager.default.contentsOfDirectory(atPath: TestPaths.ferMini.path + "/train/happy")
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let position = try XCTUnwrap(happy.firstIndex(of: "Training_10019449.jpg"))
        XCTAssertEqual(train.labels[60 + position], 3)
        // Golden bytes: `ffmpeg -i .../Training_10019449.jpg -pix_fmt gray -f rawvideo` (VideoIO fixture).
        let golden = try Data(contentsOf: TestPaths.fixture("video/fer_happy_10019449.gray"))
        XCTAssertEqual(Array(train.image(60 + position)), [UInt8](golden))
        // The known all-black image is the third angry file.
        XCTAssertEqual(Set(train.image(2)), [0])
    }

    /// Synonym folders in any case, an unreadable image (skipped, with a warning), a stray text file
    /// (ignored, with a warning) and an image of another size (resized).
    func testSynonymsSkipsAndResize() throws {
        let root = TestPaths.temporaryDirectory()
        let mini = TestPaths.ferMini.appendingPathComponent("train")
        try copy(mini.appendingPathComponent("happy/Training_10019449.jpg"), to: root, "train/Happiness/a.jpg")
        try copy(mini.appendingPathComponent("surprise").appendingPathComponent(firstFile(in: mini, "surprise")),
                 to: root, "train/SURPRISED/b.JPG")
        try copy(TestPaths.fixture("video/testsrc_64x48.png"), to: root, "train/anger/c.png")
        try write(Data("not a jpeg".utf8), to: root, "train/anger/broken.jpg")
        try write(Data("notes".utf8), to: root, "train/anger/notes.txt")
        var warnings: [String] = []
        let recorder = ResizeRecorder()
        let sets = try DatasetSource(root).load(required: ["train"], side: 48, classNames: ourClasses,
                                                resize: recorder.resizer, warnings: &warnings)
        let train = try XCTUnwrap(sets["train"])
        // Folders in byte order: Happiness, SURPRISED, anger (upper case sorts before lower case).
        XCTAssertEqual(train.labels, [3, 6, 0])
        XCTAssertEqual(recorder.calls, ["64x48->48"])
        XCTAssertEqual(Array(train.image(2)), [UInt8](repeating: 7, count: 48 * 48))
        XCTAssertEqual(warnings.count, 2)
        XCTAssertTrue(warnings[0].hasSuffix("train: ignored 1 file(s) that are not images inside class folders"),
                      warnings[0])
        XCTAssertTrue(warnings[1].contains("train: skipped 1 unreadable image(s) of 4; first: ")
                      && warnings[1].contains("broken.jpg"), warnings[1])
    }

    func testBadTrees() throws {
        let mini = TestPaths.ferMini.appendingPathComponent("train")
        let image = mini.appendingPathComponent("happy/Training_10019449.jpg")
        func load(_ root: URL, _ split: String = "train") throws {
            var warnings: [String] = []
            _ = try DatasetSource(root).load(required: [split], side: 48, classNames: ourClasses, resize: noResize,
                                             warnings: &warnings)
        }
        func expect(_ root: URL, split: String = "train", _ message: String, file: StaticString = #filePath,
                    line: UInt = #line) {
            XCTAssertThrowsError(try load(root, split), file: file, line: line) { error in
                XCTAssertEqual("\(error)", message, file: file, line: line)
            }
        }
        let missing = TestPaths.temporaryDirectory().appendingPathComponent("nope")
        expect(missing, "\(missing.path): no such data directory or CSV file")

        let empty = TestPaths.temporaryDirectory()
        expect(empty, "\(empty.path): the data directory is empty (expected <data>/<split>/<class>/*.jpg, "
               + "e.g. train/happy/001.jpg)")

        let unknown = TestPaths.temporaryDirectory()
        try copy(image, to: unknown, "train/happy/a.jpg")
        try copy(image, to: unknown, "train/contempt/a.jpg")
        expect(unknown, "\(unknown.path)/train/contempt: unknown class folder 'contempt' (classes: angry, disgust, "
               + "fear, happy, neutral, sad, surprise; synonyms such as anger, happiness, sadness, surprised are accepted)")
        expect(unknown, split: "val", "\(unknown.path): no 'val' split folder (found: train)")

        let flat = TestPaths.temporaryDirectory()
        try copy(image, to: flat, "happy/a.jpg")
        expect(flat, "\(flat.path): holds class folders directly; expected <data>/train/<class>/ "
               + "(pass the folder above the split folders)")

        let noImages = TestPaths.temporaryDirectory()
        try write(Data("x".utf8), to: noImages, "train/happy/readme.md")
        expect(noImages, "\(noImages.path)/train: no images (.jpg, .jpeg, .png, .bmp) in its class folders")

        let allBroken = TestPaths.temporaryDirectory()
        try write(Data("x".utf8), to: allBroken, "train/happy/a.jpg")
        XCTAssertThrowsError(try load(allBroken)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(allBroken.path)/train: none of its 1 images could be read; first: "),
                          "\(error)")
        }

        let notData = TestPaths.temporaryDirectory().appendingPathComponent("model.bin")
        try Data([1]).write(to: notData)
        expect(notData, "\(notData.path): not a directory or a .csv file (expected <data>/<split>/<class>/*.jpg "
               + "or a FER2013 CSV)")
    }

    private func firstFile(in folder: URL, _ cls: String) throws -> String {
        try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(cls).path).sorted().first)
    }

    private func copy(_ file: URL, to root: URL, _ relative: String) throws {
        try write(Data(contentsOf: file), to: root, relative)
    }

    private func write(_ data: Data, to root: URL, _ relative: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}

/// Records the sizes passed to a resizer and returns a flat image of 7s.
final class ResizeRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var calls: [String] { lock.lock(); defer { lock.unlock() }; return recorded }
    var resizer: ImageResizer {
        { [self] pixels, w, h, side in
            XCTAssertEqual(pixels.count, w * h)
            lock.lock(); recorded.append("\(w)x\(h)->\(side)"); lock.unlock()
            return [UInt8](repeating: 7, count: side * side)
        }
    }
}
