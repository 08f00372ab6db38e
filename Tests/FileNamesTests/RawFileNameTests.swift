import FileNames
import Foundation
import TestSupport
import XCTest

/// Issue 22, item 4: file names are bytes; those that are not UTF-8 are carried exactly and shown as `\xNN`.
final class RawFileNameTests: XCTestCase {
    /// `café.mp4` in Latin-1 (é = 0xE9), a lone UTF-8 lead byte (0xC3), and 0xFF 0xFE.
    static let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".mp4".utf8)
    static let odd: [UInt8] = [0x61, 0xC3, 0x2E, 0xFF, 0xFE, 0x62]

    func testDecodeAndEncodeAreInverses() {
        for bytes in [Self.latin1, Self.odd, Array("Überweisung 注文 🛒.mov".utf8), [], [0x80]] {
            XCTAssertEqual(RawFileName.encode(RawFileName.decode(bytes)), bytes, "\(bytes)")
        }
        XCTAssertEqual(RawFileName.decode(Array("Überweisung.mov".utf8)), "Überweisung.mov", "UTF-8 stays as it is")
        XCTAssertFalse(RawFileName.holdsRawBytes("Überweisung.mov"))
        XCTAssertTrue(RawFileName.holdsRawBytes(RawFileName.decode(Self.latin1)))
    }

    func testDisplayedShowsTheBytes() {
        XCTAssertEqual(RawFileName.displayed(RawFileName.decode(Self.latin1)), #"caf\xE9.mp4"#)
        XCTAssertEqual(RawFileName.displayed(RawFileName.decode(Self.odd)), #"a\xC3.\xFF\xFEb"#)
        XCTAssertEqual(RawFileName.displayed("café.mp4"), "café.mp4")
    }

    /// A folder listing keeps the bytes, and the names open again (Foundation lists `caf\u{FFFD}.mp4`).
    func testFolderListingAndReadingKeepTheBytes() throws {
        let folder = TestPaths.temporaryDirectory("raw-names")
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = RawFileName.decode(Self.latin1)
        let path = folder.path + "/" + name
        let fd = RawFileName.withCString(path) { open($0, O_CREAT | O_WRONLY, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(write(fd, "hello", 5), 5)
        close(fd)
        XCTAssertEqual(RawFileSystem.names(inFolder: folder.path), [name])
        XCTAssertEqual(try RawFileSystem.contents(of: path), Array("hello".utf8))
        XCTAssertTrue(RawFileSystem.exists(path))
        XCTAssertFalse(RawFileSystem.isFolder(path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "Foundation cannot find it")
        XCTAssertThrowsError(try RawFileSystem.contents(of: folder.path + "/missing")) { error in
            XCTAssertEqual(error as? RawFileError, RawFileError(code: ENOENT))
        }
    }
}
