import Foundation
@testable import SessionStore
import TestSupport
import XCTest

final class ContentHashTests: XCTestCase {
    /// FIPS 180-4 example digests (checked with Python's hashlib.sha256).
    func testKnownVectors() {
        XCTAssertEqual(ContentHash.sha256(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(ContentHash.sha256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(ContentHash.sha256(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(ContentHash.sha256(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Ten million 'a' in a file: read in three chunks, the last one partial (digest from Python's
    /// hashlib.sha256 and from `sha256sum`, which agree).
    func testFileReadAcrossChunks() throws {
        let directory = TestPaths.temporaryDirectory("content-hash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a.bin")
        try Data(repeating: UInt8(ascii: "a"), count: 10_000_000).write(to: file)
        XCTAssertEqual(try ContentHash.sha256(fileAt: file),
                       "01f4a87c04b40af59aadc0e812293509709c9a8763a60b7f9e19303322f8b03c")
    }

    /// Digests of the shared media as `sha256sum single_face.mp4 face_noface.mov` printed them.
    func testFilesMatchSha256sum() throws {
        XCTAssertEqual(try ContentHash.sha256(fileAt: TestPaths.media("single_face.mp4")),
                       "95ee1a41bfd0f50a2f9d3384eeb11dfe7601db3a173f24825d5146369216f571")
        XCTAssertEqual(try ContentHash.sha256(fileAt: TestPaths.media("face_noface.mov")),
                       "a76d6cea524a27790b613dd4133d0913c462beed33247b5f781566c4d0ab131c")
        let missing = TestPaths.media("missing.mp4")
        XCTAssertThrowsError(try ContentHash.sha256(fileAt: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing.path): cannot read the file to hash it")
        }
    }
}
