import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22, item 2 end to end: a transport stream whose first 3.6 s cannot be decoded (leading-cut.ts, see
/// LeadingLossTests) was analysed without a word and reported with presence 1.00 "for the whole session".
/// Now `probe` warns (status 2), `analyze` warns and stores the warning, `report`, `timeline` and the HTML
/// repeat it, and the whole-session row covers only the analysed 3.633–4.900 s.
extension AnalyzeCommandTests {
    func testUndecodableStartIsWarnedStoredAndNotClaimed() throws {
        let path = TestPaths.fixture("video/leading-cut.ts").path
        let warning = "\(path): file is truncated or damaged: nothing could be decoded from 0.000 s to 3.633 s "
            + "(the file starts inside a group of pictures?); frames up to 4.867 s were read"

        let probe = try run(["probe", path, "--fps", "4"])
        XCTAssertEqual(probe.status, 2, probe.stderr)
        XCTAssertEqual(probe.stderr, "warning: \(warning)\n")

        let analysed = try analyze([path])
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        XCTAssertTrue(analysed.stderr.contains("warning: \(warning)\n"), analysed.stderr)
        let run = try XCTUnwrap(try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries().first?.latestCompleteRun)
        XCTAssertEqual(run.message, warning)

        let report = try self.run(["report", "--session", "latest", "--db", dbPath])
        XCTAssertEqual(report.stderr, "warning: session 1: \(warning)\n")
        let rows = try reportRows()
        let whole = try XCTUnwrap(rows.last)
        // Five samples, 3.633 … 4.633 s: the row starts at the first of them, not at 0.
        XCTAssertEqual(whole["start_s"], "3.633")
        XCTAssertEqual(whole["end_s"], "4.900")
        XCTAssertEqual(whole["duration_s"], "1.267")
        XCTAssertEqual(whole["samples"], "5")

        let timeline = try self.run(["timeline", "--session", "latest", "--db", dbPath])
        XCTAssertEqual(timeline.stderr, "warning: session 1: \(warning)\n")
        XCTAssertTrue(timeline.stdout.split(separator: "\n")[1].hasPrefix("3.633"), timeline.stdout)

        let html = directory.appendingPathComponent("r.html").path
        XCTAssertEqual(try self.run(["report", "--session", "latest", "--html", html, "--db", dbPath]).status, 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("nothing could be decoded from 0.000 s to 3.633 s"), "the HTML names the lost span")
    }
}
