import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22: Ctrl-C on a `--jobs 2` batch printed `analysed 0 of 0 files`; the total now counts the files
/// planned, those stopped and those never started.
extension AnalyzeCommandTests {
    func testInterruptedBatchCountsWhatWasPlanned() throws {
        let files = [TestPaths.media("single_face.mp4").path, TestPaths.media("no_face.mp4").path,
                     TestPaths.fixture("media/face_noface.mov").path]
        let child = try ChildProcess(arguments: ["analyze"] + files + ["--jobs", "2", "--model", "C", "--db", dbPath],
                                     environment: ["EMOTELAB_TEST_FRAME_DELAY": "0.3"], directory: directory)
        try child.waitForOutput(containing: "single_face.mp4: ")     // a progress line: both jobs are mid-run
        kill(child.process.processIdentifier, SIGINT)
        let result = child.finish()
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("analysed 0 of 3 files: 0.0 s of video in "), result.stdout)
        XCTAssertTrue(result.stdout.contains("; 2 stopped (run marked interrupted); 1 not started"), result.stdout)
        let runs = try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries().map { $0.latestRun?.status }
        XCTAssertEqual(runs, [.interrupted, .interrupted])
    }
}
