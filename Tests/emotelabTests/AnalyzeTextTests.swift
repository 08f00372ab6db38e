import Analysis
import SessionStore
import XCTest
@testable import emotelab

/// The lines `analyze` prints: progress bar, plain progress line, per-file summary, batch total.
final class AnalyzeTextTests: XCTestCase {
    private let halfway = AnalysisProgress(file: "/rec/session 1.mp4", frames: 240, analysedSeconds: 60,
                                           duration: 120, elapsed: 4)

    /// Half of a 2-minute video in 4 s: 15× real time, 4 s left.
    func testBarLine() {
        XCTAssertEqual(ProgressBoard.barText(file: halfway.file, progress: halfway),
                       "session 1.mp4  [██████████░░░░░░░░░░]   50%  1:00/2:00  240 samples  15.0× real time  ETA 0:04")
        XCTAssertEqual(ProgressBoard.barText(file: halfway.file, progress: nil), "session 1.mp4  starting…")
    }

    func testPlainLines() {
        XCTAssertEqual(ProgressBoard.plainText(halfway), "/rec/session 1.mp4: 50% (1:00 of 2:00, 240 samples, 15.0× real time)")
        let unknown = AnalysisProgress(file: "a.mkv", frames: 8, analysedSeconds: 1.75, duration: nil, elapsed: 0.5)
        XCTAssertEqual(ProgressBoard.plainText(unknown), "a.mkv: 1.8 s of video (8 samples, 3.5× real time)")
    }

    func testSummaryAndTotal() {
        var timings = StageTimings()
        timings.decodedFrames = 100
        let summary = AnalysisSummary(file: "clips/a.mov", sessionID: 3, runID: 7, duration: 6.4, samples: 26,
                                      faceSamples: 10, trackCount: 1, participantTrack: 1, elapsed: 0.5,
                                      warnings: [], timings: timings)
        XCTAssertEqual(AnalysisText.summary(summary),
                       "clips/a.mov: 6.4 s of video, 26 samples, face in 10 (38.5%), 1 face track; took 0.5 s (12.8× real time) → session 3")
        XCTAssertEqual(AnalysisText.total(analysed: [summary, summary], failed: 1, elapsed: 2),
                       "analysed 2 of 3 files: 12.8 s of video in 2.0 s (6.4× real time); 1 failed")
        // Issue 22: after Ctrl-C the total counts what was planned, stopped and never started.
        XCTAssertEqual(AnalysisText.total(analysed: [], failed: 0, interrupted: 2, notStarted: 1, elapsed: 2),
                       "analysed 0 of 3 files: 0.0 s of video in 2.0 s; 2 stopped (run marked interrupted); 1 not started")
        XCTAssertEqual(AnalysisText.duration(59.9), "59.9 s")
        XCTAssertEqual(AnalysisText.duration(3725), "1:02:05")
    }
}

/// `sessions` names files with just enough of their folders to tell them apart.
final class SessionNameTests: XCTestCase {
    func testDisplayNamesAddFoldersOnlyWhereNamesRepeat() {
        XCTAssertEqual(Session.displayNames(["/study/P01/session.mp4", "/study/P02/session.mp4", "/study/P03/other.mp4",
                                                     "/a/x/same/s.mov", "/b/x/same/s.mov"]),
                       ["P01/session.mp4", "P02/session.mp4", "other.mp4", "a/x/same/s.mov", "b/x/same/s.mov"])
        XCTAssertEqual(Session.displayNames(["/one/a.mp4"]), ["a.mp4"])
    }
}

/// Tables align by terminal columns: CJK characters take two.
final class TextTableTests: XCTestCase {
    func testWideCharactersTakeTwoColumns() {
        XCTAssertEqual(TextTable.columns("abc"), 3)
        XCTAssertEqual(TextTable.columns("検索"), 4)
        XCTAssertEqual(TextTable.columns("장바구니"), 8)
        XCTAssertEqual(TextTable.columns("Überweisung"), 11)
        XCTAssertEqual(TextTable.columns("e\u{301}"), 1)   // e + combining acute: one character, one column
        let table = TextTable.render(headers: ["#", "task"], rows: [["1", "検索"], ["2", "search"]], leftAligned: [1])
        XCTAssertEqual(table, "#  task\n1  検索\n2  search\n")
        let right = TextTable.render(headers: ["name", "n"], rows: [["検索", "1"], ["ab", "22"]], leftAligned: [0])
        XCTAssertEqual(right, "name   n\n検索   1\nab    22\n")
    }
}
