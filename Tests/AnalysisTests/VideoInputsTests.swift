import XCTest
@testable import Analysis
import TestSupport

final class VideoInputsTests: XCTestCase {
    /// A folder becomes its video files by extension, sorted, hidden files skipped; files given by name
    /// are kept whatever their extension; repeats are kept once.
    func testFoldersExpandToTheirVideos() throws {
        let folder = TestPaths.temporaryDirectory("inputs")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.MOV", "a.mp4", ".hidden.mp4", "notes.txt", "c.mkv"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data([0]))
        }
        let path = folder.path
        let entries = VideoInputs.expand([path, "\(path)/a.mp4", "\(path)/notes.txt"])
        XCTAssertEqual(entries, [.file("\(path)/a.mp4"), .file("\(path)/b.MOV"), .file("\(path)/c.mkv"),
                                 .file("\(path)/notes.txt")])
    }

    /// A folder without videos is a problem naming it; a missing path is kept (opening reports it).
    func testEmptyFolderIsAProblem() throws {
        let folder = TestPaths.temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = VideoInputs.expand([folder.path, "/no/such/file.mp4"])
        XCTAssertEqual(entries.count, 2)
        guard case let .problem(input, message) = entries[0] else { return XCTFail("expected a problem") }
        XCTAssertEqual(input, folder.path)
        XCTAssertTrue(message.hasPrefix("\(folder.path): folder holds no video files"), message)
        XCTAssertEqual(entries[1], .file("/no/such/file.mp4"))
    }
}
