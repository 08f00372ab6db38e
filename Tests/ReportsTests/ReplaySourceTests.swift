import Reports
import XCTest

final class ReplaySourceTests: XCTestCase {
    func testARecordingBesideThePageIsItsPercentEncodedName() {
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/study", to: "/study/p01.mp4"), "p01.mp4")
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/study", to: "/study/P 1 #2?.mp4"), "P%201%20%232%3F.mp4")
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/study", to: "/study/café.mov"), "caf%C3%A9.mov")
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/study", to: "/study/a&b%.mp4"), "a%26b%25.mp4")
    }

    func testARecordingElsewhereIsReachedThroughTheCommonFolder() {
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/lab/reports/june", to: "/lab/recordings/p 01/s.mp4"),
                       "../../recordings/p%2001/s.mp4")
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/lab", to: "/lab/recordings/s.mp4"), "recordings/s.mp4")
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/", to: "/s.mp4"), "s.mp4")
        // A folder whose name starts like the recording's folder is not shared.
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/lab/rec", to: "/lab/recordings/s.mp4"), "../recordings/s.mp4")
        // `.` and `..` in either path are folded away first.
        XCTAssertEqual(ReplaySource.relativeURL(fromFolder: "/lab/./out/../out", to: "/lab/x/../s.mp4"), "../s.mp4")
    }

    func testAPageNamedRelativelyLivesInTheWorkingFolder() {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(ReplaySource.folder(ofPage: "report.html"), cwd == "/" ? "/" : cwd)
        XCTAssertEqual(ReplaySource.folder(ofPage: "/a/b/report.html"), "/a/b")
    }
}
