import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 19, item 5, end to end: the real binary shows the faces besides the participant's that the store
/// holds — counts in `timeline`, stretches in `timeline --others`, shares in `report` — and headless
/// Chromium shows the chart's strip where a researcher expects it.
final class OthersInViewCommandTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("lab.sqlite").path }

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("others-in-view") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func run(_ arguments: [String]) throws -> CommandResult { try CommandRunner.run(arguments, in: directory) }

    /// Session 1: 3 s at 4 samples/s (t = 0, 0.25 … 2.75), the participant (track 1) at every sample; a
    /// moderator (track 2) at 0.5, 0.75 and 1.25 (missed at 1.0) and again with an observer (track 3) at
    /// 2.25 and 2.5. Tasks Intro [0, 1.5) and Checkout [1.5, 3).
    ///
    /// Stretches: 0.5–1.5 (the miss at 1.0 bridged; 1.25 + 0.25), 4 samples, 1 other face; 2.25–2.75
    /// (2.5 + 0.25), 2 samples, 2 other faces. Shares: Intro 3 of 6 samples, Checkout 2 of 6, whole 5 of 12.
    func addSession() throws {
        let store = try SessionStore(path: dbPath, mode: .readWrite)
        let session = try store.findOrCreateSession(SessionInfo(filePath: directory.appendingPathComponent("p1.mp4").path,
                                                                contentHash: "p1", duration: 3, frameWidth: 640,
                                                                frameHeight: 360, recordedFPS: 25))
        let run = try store.beginRun(session: session.id, settings: RunSettings(modelName: "default", modelHash: "m",
                                                                               sampleRate: 4, detector: "haar"))
        func face(_ t: Double, track: Int64) -> SampleRecord {
            SampleRecord(time: t, face: DetectedFace(trackID: track, isParticipant: track == 1,
                                                     box: FaceBox(x: 100 * Double(track), y: 30, width: 60, height: 60),
                                                     confidence: 1, scores: EmotionScores([0, 0, 0, 0.5, 0.5, 0, 0])!))
        }
        var records: [SampleRecord] = []
        for i in 0..<12 {
            let t = Double(i) / 4
            records.append(face(t, track: 1))
            if [0.5, 0.75, 1.25, 2.25, 2.5].contains(t) { records.append(face(t, track: 2)) }
            if [2.25, 2.5].contains(t) { records.append(face(t, track: 3)) }
        }
        try store.appendSamples(records, toRun: run)
        try store.finishRun(run)
        try store.replaceTasks([TaskSegment(name: "Intro", start: 0, end: 1.5),
                                TaskSegment(name: "Checkout", start: 1.5, end: 3)], session: session.id)
    }

    func testTimelineCountsAndStretches() throws {
        try addSession()
        let csv = try run(["timeline", "--session", "1", "--format", "csv", "--from", "0.5", "--to", "1", "--db", dbPath])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.stdout, """
            t,face,angry,disgust,fear,happy,neutral,sad,surprise,dominant,valence,faces,others\r
            0.500,1,0.0000,0.0000,0.0000,0.5000,0.5000,0.0000,0.0000,happy,0.5000,2,1\r
            0.750,1,0.0000,0.0000,0.0000,0.5000,0.5000,0.0000,0.0000,happy,0.5000,2,1\r
            1.000,1,0.0000,0.0000,0.0000,0.5000,0.5000,0.0000,0.0000,happy,0.5000,1,0\r

            """)
        // Smoothing leaves the counts as found.
        let smoothed = try run(["timeline", "--session", "1", "--format", "json", "--smooth", "2", "--db", dbPath])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(smoothed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { ($0["others"] as? NSNumber)?.intValue }, [0, 0, 1, 1, 0, 1, 0, 0, 0, 2, 2, 0])
        XCTAssertEqual(rows.map { ($0["faces"] as? NSNumber)?.intValue }, [1, 1, 2, 2, 1, 2, 1, 1, 1, 3, 3, 1])

        let stretches = try run(["timeline", "--session", "1", "--others", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(stretches.status, 0, stretches.stderr)
        XCTAssertEqual(stretches.stderr, "")
        XCTAssertEqual(stretches.stdout, """
            start_s,end_s,duration_s,samples,max_others\r
            0.500,1.500,1.000,4,1\r
            2.250,2.750,0.500,2,2\r

            """)
        let table = try run(["timeline", "--session", "1", "--others", "--db", dbPath])
        XCTAssertEqual(table.stdout, """
            start_s  end_s  duration_s  samples  max_others
              0.500  1.500       1.000        4           1
              2.250  2.750       0.500        2           2

            """)
        // Within a range: the samples from 2 s on.
        let json = try run(["timeline", "--session", "1", "--others", "--format", "json", "--from", "2", "--db", dbPath])
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 1)
        XCTAssertEqual((parsed[0]["start_s"] as? NSNumber)?.doubleValue, 2.25)
        XCTAssertEqual((parsed[0]["max_others"] as? NSNumber)?.intValue, 2)
        // None in range: an empty list and a note.
        let none = try run(["timeline", "--session", "1", "--others", "--format", "json", "--from", "1.5", "--to", "2", "--db", dbPath])
        XCTAssertEqual(none.status, 0)
        XCTAssertEqual(none.stdout, "[]\n")
        XCTAssertEqual(none.stderr, "note: no face other than the participant's was found in the requested time range\n")
        // --smooth has nothing to smooth in a list of stretches: one clear line.
        let refused = try run(["timeline", "--session", "1", "--others", "--smooth", "1", "--db", dbPath])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--smooth applies to the emotion values of the samples, not to --others stretches"),
                      refused.stderr)
    }

    func testReportCSVHasTheShares() throws {
        try addSession()
        let result = try run(["report", "--session", "1", "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertTrue(lines[0].hasSuffix(",baseline,others_samples,others_in_view"), lines[0])
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[1].hasPrefix("p1.mp4,Intro,") && lines[1].hasSuffix(",none,3,0.5000"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("p1.mp4,Checkout,") && lines[2].hasSuffix(",none,2,0.3333"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("p1.mp4,(whole session),") && lines[3].hasSuffix(",none,5,0.4167"), lines[3])
    }

    // MARK: In a browser

    /// Measures, after the page has laid out, each mark of the others strip against the chart's own time
    /// scale (`data-t0` … `data-x1`) in screen pixels, what is on top at its centre, its colour, its
    /// tooltip; the legend, the list under the chart, the table's Others column; then clicks the first
    /// mark and reads the replay cursor's time. Errors are collected from before the page's script runs.
    static let harnessHead = """
        <script>window.__errors = []; window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
        var __consoleError = console.error; console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); __consoleError.apply(console, arguments); };</script>
        """
    static let harnessTail = """
        <script>
        window.addEventListener("load", function () {
          var svg = document.querySelector("svg.chart"), matrix = svg.getScreenCTM();
          var t0 = Number(svg.getAttribute("data-t0")), t1 = Number(svg.getAttribute("data-t1"));
          var x0 = Number(svg.getAttribute("data-x0")), x1 = Number(svg.getAttribute("data-x1"));
          function screenX(t) {
            var point = svg.createSVGPoint(); point.x = x0 + (t - t0) / (t1 - t0) * (x1 - x0); point.y = 0;
            return point.matrixTransform(matrix).x;
          }
          var marks = Array.prototype.map.call(svg.querySelectorAll(".others-stretch"), function (mark) {
            var box = mark.getBoundingClientRect(), style = getComputedStyle(mark);
            var start = Number(mark.getAttribute("data-start")), end = Number(mark.getAttribute("data-end"));
            var top = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
            return { start: start, end: end, x: mark.x.baseVal.value, width: mark.width.baseVal.value,
                     left: box.left, right: box.right, height: box.height,
                     expectedLeft: screenX(start), expectedRight: screenX(end), onTop: top === mark,
                     fill: style.fill, opacity: Number(style.fillOpacity), title: mark.querySelector("title").textContent };
          });
          var tasks = document.querySelector("table:not(.moments):not(.emotions)");
          var headers = Array.prototype.map.call(tasks.querySelectorAll("th"), function (th) { return th.textContent; });
          var column = headers.indexOf("Others");
          var cells = Array.prototype.map.call(tasks.querySelectorAll("tbody tr"), function (row) {
            var cell = row.querySelectorAll("td")[column]; return { text: cell.textContent, title: cell.getAttribute("title") };
          });
          var first = svg.querySelector(".others-stretch");
          first.dispatchEvent(new MouseEvent("click", { bubbles: true }));
          var cursor = svg.querySelector(".cursor");
          var pre = document.createElement("pre"); pre.id = "results";
          pre.textContent = JSON.stringify({
            marks: marks, cells: cells, errors: window.__errors,
            legend: document.querySelector("figcaption").textContent,
            list: Array.prototype.map.call(document.querySelectorAll("ul.others li"), function (li) { return li.textContent; }),
            cursorTime: Number(cursor.getAttribute("data-time")), cursorVisible: cursor.getAttribute("visibility")
          });
          document.body.appendChild(pre);
        });
        </script>
        """

    struct Results: Decodable {
        struct Mark: Decodable {
            var start, end, x, width, left, right, height, expectedLeft, expectedRight, opacity: Double
            var onTop: Bool
            var fill, title: String
        }
        struct Cell: Decodable { var text: String; var title: String? }
        var marks: [Mark]
        var cells: [Cell]
        var errors: [String]
        var legend: String
        var list: [String]
        var cursorTime: Double
        var cursorVisible: String?
    }

    func testTheChartMarksTheStretchesWhereTheyAre() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { throw XCTSkip("chromium is not installed (scripts/setup.sh installs it)") }
        try addSession()
        let pagePath = directory.appendingPathComponent("p1.html").path
        let written = try run(["report", "--session", "1", "--html", pagePath, "--smooth", "0", "--db", dbPath])
        XCTAssertEqual(written.status, 0, written.stderr)
        let page = try String(contentsOfFile: pagePath, encoding: .utf8)
        let harness = page.replacingOccurrences(of: "<head>", with: "<head>\n" + Self.harnessHead)
            .replacingOccurrences(of: "</body>", with: Self.harnessTail + "\n</body>")
        let harnessPath = directory.appendingPathComponent("harness.html").path
        try harness.write(toFile: harnessPath, atomically: true, encoding: .utf8)
        let result = try CommandRunner.runProgram(URL(fileURLWithPath: chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0", "--window-size=1200,900", "--virtual-time-budget=5000", "--dump-dom",
            URL(fileURLWithPath: harnessPath).absoluteString])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("Uncaught"), result.stderr)
        guard let open = result.stdout.range(of: "<pre id=\"results\">"),
              let close = result.stdout.range(of: "</pre>", range: open.upperBound..<result.stdout.endIndex) else {
            return XCTFail("no results in the dumped page: \(result.stdout.suffix(2000)) \(result.stderr.suffix(2000))")
        }
        let json = String(result.stdout[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let results = try JSONDecoder().decode(Results.self, from: Data(json.utf8))

        XCTAssertEqual(results.errors, [])
        // Two marks over 0.5–1.5 s and 2.25–2.75 s. The axis spans the 3 s video over x 56…944 (x = 56 + 296 t):
        // 204–500 and 722–870 in chart units, and on screen exactly where the chart's scale puts those times.
        XCTAssertEqual(results.marks.map(\.start), [0.5, 2.25])
        XCTAssertEqual(results.marks.map(\.end), [1.5, 2.75])
        XCTAssertEqual(results.marks.map(\.x), [204, 722])
        XCTAssertEqual(results.marks.map(\.width), [296, 148])
        for mark in results.marks {
            XCTAssertEqual(mark.left, mark.expectedLeft, accuracy: 0.01, "\(mark.start)")
            XCTAssertEqual(mark.right, mark.expectedRight, accuracy: 0.01, "\(mark.start)")
            XCTAssertGreaterThan(mark.right - mark.left, 50, "visibly wide at 1200 px")
            XCTAssertGreaterThan(mark.height, 5)
            XCTAssertTrue(mark.onTop, "nothing covers the mark at its centre")
            XCTAssertEqual(mark.fill, "rgb(66, 74, 83)")
            XCTAssertGreaterThan(mark.opacity, 0.5)
        }
        XCTAssertEqual(results.marks.map(\.title), ["Others in view 0:00.5–0:01.5 (1.0 s; 1 other face)",
                                                    "Others in view 0:02.3–0:02.8 (0.5 s; up to 2 other faces)"])
        XCTAssertTrue(results.legend.contains("others in view"), results.legend)
        XCTAssertEqual(results.list, ["0:00.5–0:01.5 (1.0 s; 1 other face)", "0:02.3–0:02.8 (0.5 s; up to 2 other faces)"])
        XCTAssertEqual(results.cells.map(\.text), ["50.0 %", "33.3 %", "41.7 %"])
        XCTAssertEqual(results.cells.map(\.title), ["others in view 0:00.5–0:01.5", "others in view 0:02.3–0:02.8",
                                                    "others in view 0:00.5–0:01.5, 0:02.3–0:02.8"])
        // Clicking a mark plays the recording from the stretch's start (the cursor moves there even though
        // this session's recording is not on disk).
        XCTAssertEqual(results.cursorTime, 0.5, accuracy: 1e-9)
        XCTAssertEqual(results.cursorVisible, "visible")
    }
}
