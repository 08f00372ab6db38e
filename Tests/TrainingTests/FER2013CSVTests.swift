import XCTest
import Training
import TestSupport

/// Our label order (EmotionLabel's): angry disgust fear happy neutral sad surprise.
let ourClasses = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]
/// A resizer for tests whose images already have the requested size; any call is a test failure.
let noResize: ImageResizer = { pixels, _, _, _ in
    XCTFail("unexpected resize")
    return pixels
}

final class FER2013CSVTests: XCTestCase {
    /// The hand-written file: rows go to the split of their Usage, FER2013 labels map to our order.
    func testLoadsHandWrittenFile() throws {
        let url = TestPaths.fixture("training/fer2013-small.csv")
        let sets = try FER2013CSV.load(url, splits: ["train", "val", "test"], side: 2, classNames: ourClasses,
                                       resize: noResize)
        let train = try XCTUnwrap(sets["train"])
        // Training rows in file order: FER 0 angry, 3 happy, 1 disgust, 5 surprise → our 0, 3, 1, 6.
        XCTAssertEqual(train.labels, [0, 3, 1, 6])
        XCTAssertEqual(train.pixels, [0, 10, 20, 30, 255, 254, 253, 252, 9, 9, 9, 9, 40, 41, 42, 43])
        let val = try XCTUnwrap(sets["val"])
        // PublicTest rows: FER 6 neutral → our 4, FER 2 fear → our 2.
        XCTAssertEqual(val.labels, [4, 2])
        XCTAssertEqual(val.pixels, [1, 2, 3, 4, 100, 101, 102, 103])
        let test = try XCTUnwrap(sets["test"])
        // PrivateTest row (quoted pixels): FER 4 sad → our 5.
        XCTAssertEqual(test.labels, [5])
        XCTAssertEqual(test.pixels, [5, 6, 7, 8])
        XCTAssertEqual(train.classCounts, [1, 1, 0, 1, 0, 0, 1])
    }

    /// Only requested splits come back; a different column order and CRLF line ends are read the same.
    func testColumnOrderAndLineEnds() throws {
        let dir = TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("icml.csv")
        try Data("emotion, Usage, pixels\r\n3,Training,1 2 3 4\r\n6,PublicTest,5 6 7 8\r\n".utf8).write(to: url)
        let sets = try FER2013CSV.load(url, splits: ["val"], side: 2, classNames: ourClasses, resize: noResize)
        XCTAssertEqual(Array(sets.keys), ["val"])
        XCTAssertEqual(sets["val"]?.labels, [4])
        XCTAssertEqual(sets["val"]?.pixels, [5, 6, 7, 8])
    }

    /// Images of another size go through the resizer, which receives their size.
    func testResizesToModelSide() throws {
        let dir = TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("big.csv")
        try Data("emotion,pixels,Usage\n0,\((0..<9).map(String.init).joined(separator: " ")),Training\n".utf8)
            .write(to: url)
        let sets = try FER2013CSV.load(url, splits: ["train"], side: 2, classNames: ourClasses) { pixels, w, h, side in
            XCTAssertEqual([w, h, side], [3, 3, 2])
            return [pixels[0], pixels[2], pixels[6], pixels[8]]
        }
        XCTAssertEqual(sets["train"]?.pixels, [0, 2, 6, 8])
    }

    /// Each bad row stops the load with the file, its line number and the problem.
    func testBadRowsNameTheLine() throws {
        let cases: [(String, String)] = [
            ("emotion,pixels,Usage\n0,1 2 3 4,Training\n7,1 2 3 4,Training\n",
             ":3: emotion must be an integer 0...6, found '7'"),
            ("emotion,pixels,Usage\n0,1 2 3,Training\n",
             ":2: pixels must hold a square image (48×48 = 2304 values), found 3 values"),
            ("emotion,pixels,Usage\n\n0,1 2 3 4\n",
             ":3: expected 3 comma-separated fields, found 2"),
            ("emotion,pixels,Usage\n0,1 2 3 x,Training\n",
             ":2: pixels must be space-separated integers 0...255; found 'x' in pixel 4"),
            ("emotion,pixels,Usage\n0,1 2 3 256,Training\n",
             ":2: pixel value 256 is above 255 (pixel 4)"),
            ("emotion,pixels,Usage\n0,1 2 3 4 5 6 7 8 9 10 99905 12 13 14 15 16,Training\n",
             ":2: pixel value 99905 is above 255 (pixel 11)"),
            ("emotion,pixels,Usage\n0,1 2 3 00012345678901234567,Training\n",
             ":2: pixel value 000123456789… (20 digits) is above 255 (pixel 4)"),
            ("emotion,pixels,Usage\n0,1 2 3 4,Validation\n",
             ":2: Usage must be Training, PublicTest or PrivateTest, found 'Validation'"),
            ("label,image\n0,1 2 3 4\n",
             ":1: expected a header naming the columns emotion, pixels and Usage; found 'label,image'"),
        ]
        let dir = TestPaths.temporaryDirectory()
        for (index, (text, message)) in cases.enumerated() {
            let url = dir.appendingPathComponent("bad\(index).csv")
            try Data(text.utf8).write(to: url)
            XCTAssertThrowsError(try FER2013CSV.load(url, splits: ["train"], side: 2, classNames: ourClasses,
                                                     resize: noResize)) { error in
                XCTAssertEqual("\(error)", url.path + message)
            }
        }
    }

    /// An empty file and a header-only file are errors, not empty datasets.
    func testEmptyFiles() throws {
        let dir = TestPaths.temporaryDirectory()
        for (name, text, message) in [("empty.csv", "", "the file is empty (expected a FER2013 CSV with a header)"),
                                      ("header.csv", "emotion,pixels,Usage\n", "the CSV has a header but no image rows")] {
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            XCTAssertThrowsError(try FER2013CSV.load(url, splits: ["train"], side: 2, classNames: ourClasses,
                                                     resize: noResize)) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(message)")
            }
        }
    }
}
