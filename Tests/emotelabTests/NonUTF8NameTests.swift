import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22, item 4 end to end: a recording and a tasks file whose names hold a byte that is not UTF-8
/// (Latin-1 `é`, 0xE9) are opened by `analyze` (by name and in a folder scan), `probe` and `tasks import`,
/// and shown as `\xE9` in messages, `sessions` and the report (before: "no such file").
final class NonUTF8NameTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("non-utf8") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Runs `script` in the test folder; `$V` is `rec/caf\351.mp4` (a copy of single_face.mp4) and `$T` is
    /// `t\351ches.csv` (two tasks).
    func shell(_ script: String) throws -> CommandResult {
        let setup = """
            set -e
            V="rec/$(printf 'caf\\351.mp4')"; T="$(printf 't\\351ches.csv')"
            [ -e "$V" ] || { mkdir -p rec; cp '\(TestPaths.media("single_face.mp4").path)' "$V"; printf 'Intro,0,1\\nSmile,1,2\\n' > "$T"; }

            """
        return try CommandRunner.runShell(setup + script, in: directory)
    }

    func testRecordingAndTasksFileWithLatin1Names() throws {
        let analysed = try shell(#""$EMOTELAB" analyze "$V" --tasks "$T" --model C --db lab.sqlite"#)
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
        XCTAssertTrue(analysed.stdout.contains(#"rec/caf\xE9.mp4: 2.4 s of video, 10 samples, face in 10 (100.0%)"#),
                      analysed.stdout)
        XCTAssertFalse(analysed.stdout.unicodeScalars.contains { $0.value >= 0x10FF00 }, "no carrier leaks out")

        let probe = try shell(#""$EMOTELAB" probe "$V""#)
        XCTAssertEqual(probe.status, 0, probe.stderr)
        XCTAssertTrue(probe.stdout.hasPrefix("file                rec/caf\\xE9.mp4\n"), probe.stdout)

        // A folder scan finds it again (same content: its session is analysed again, not duplicated).
        let scan = try shell(#""$EMOTELAB" analyze rec --model C --db lab.sqlite"#)
        XCTAssertEqual(scan.status, 0, scan.stderr)
        XCTAssertTrue(scan.stdout.contains(#"rec/caf\xE9.mp4: 2.4 s of video, 10 samples"#), scan.stdout)

        let sessions = try shell(#""$EMOTELAB" sessions --db lab.sqlite"#)
        XCTAssertTrue(sessions.stdout.contains(#" 1  caf\xE9  caf\xE9.mp4  0:02.400"#), sessions.stdout)
        let tasks = try shell(#""$EMOTELAB" tasks list --session 1 --format csv --db lab.sqlite"#)
        XCTAssertEqual(tasks.stdout, "task,start,end\r\nIntro,0,1\r\nSmile,1,2\r\n")
        let imported = try shell(#""$EMOTELAB" tasks import "$T" --session 1 --db lab.sqlite"#)
        XCTAssertEqual(imported.stdout, "imported 2 tasks into session 1 (caf\\xE9.mp4)\n", imported.stderr)
        let report = try shell(#""$EMOTELAB" report --session 1 --db lab.sqlite"#)
        XCTAssertTrue(report.stdout.contains("\r\ncaf\\xE9.mp4,Intro,0.000,1.000,"), report.stdout)
        XCTAssertTrue(report.stdout.contains("\r\ncaf\\xE9.mp4,(whole session),0.000,2.400,"), report.stdout)

        // A name that is not there is still "no such file", shown escaped.
        let missing = try shell(#""$EMOTELAB" analyze "rec/$(printf 'gon\351.mp4')" --model C --db lab.sqlite"#)
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: rec/gon\\xE9.mp4: no such file\n")
    }
}
