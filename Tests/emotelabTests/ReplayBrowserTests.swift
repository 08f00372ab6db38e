import Foundation
import SessionStore
import TestSupport
import XCTest

/// `report --html` with the replay, end to end: the real binary writes the page for a session whose
/// recording is a real video with a hostile name in another folder, and headless Chromium loads the page
/// from `file://`, seeks through the page's own handlers and reports what the cursor and the video did.
final class ReplayBrowserTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("lab.sqlite").path }
    var pagePath: String { directory.appendingPathComponent("reports/p1.html").path }

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("replay") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    static let calm = [0.01, 0.01, 0.01, 0.01, 0.94, 0.01, 0.01]
    static let sad = [0.01, 0.01, 0.01, 0.01, 0.35, 0.6, 0.01]
    static let pleased = [0.01, 0.01, 0.01, 0.8, 0.14, 0.01, 0.01]

    /// The 10 s evidence fixture copied to `recordings/P 1 #2?é.mp4` and stored as analysed: 4 samples/s,
    /// sad over [1.5, 4] s, pleased over [6.5, 9] s; tasks Checkout [0, 5.25) and Rate the app [5.25, 10).
    func addSession() throws -> String {
        let folder = directory.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let recording = folder.appendingPathComponent("P 1 #2?é.mp4").path
        try FileManager.default.copyItem(atPath: TestPaths.fixture("video/evidence-keyframes.mp4").path, toPath: recording)
        let store = try SessionStore(path: dbPath, mode: .readWrite)
        let session = try store.findOrCreateSession(SessionInfo(
            filePath: recording, contentHash: try ContentHash.sha256(fileAt: URL(fileURLWithPath: recording)),
            duration: 10, frameWidth: 160, frameHeight: 90, recordedFPS: 25))
        let run = try store.beginRun(session: session.id, settings: RunSettings(modelName: "default", modelHash: "m",
                                                                               sampleRate: 4, detector: "haar"))
        let records = (0..<40).map { i -> SampleRecord in
            let t = Double(i) / 4
            let p = (1.5...4).contains(t) ? Self.sad : (6.5...9).contains(t) ? Self.pleased : Self.calm
            return SampleRecord(time: t, face: DetectedFace(trackID: 1, isParticipant: true,
                                                            box: FaceBox(x: 40, y: 30, width: 40, height: 40),
                                                            confidence: 1, scores: EmotionScores(p)!))
        }
        try store.appendSamples(records, toRun: run)
        try store.finishRun(run)
        try store.replaceTasks([TaskSegment(name: "Checkout", start: 0, end: 5.25),
                                TaskSegment(name: "Rate the app", start: 5.25, end: 10)], session: session.id)
        return recording
    }

    func writePage() throws -> String {
        try FileManager.default.createDirectory(atPath: (pagePath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let result = try CommandRunner.run(["report", "--session", "1", "--html", pagePath, "--db", dbPath], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try String(contentsOfFile: pagePath, encoding: .utf8)
    }

    /// Captures errors before the page's script runs (`head`), then after it (end of `body`) drives the page:
    /// clicks the moment links, a point on the chart and a task label, one after the other, waiting for
    /// `seeked` when the video plays (or a short timer when it cannot), and writes what happened to
    /// `<pre id="results">` as JSON.
    static let harnessHead = """
        <script>window.__errors = []; window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
        var __consoleError = console.error; console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); __consoleError.apply(console, arguments); };</script>
        """
    static let harnessTail = """
        <script>
        (function () {
          var video = document.getElementById("replay-video"), svg = document.querySelector("svg.chart");
          var cursor = svg.querySelector(".cursor"), steps = [], log = [];
          function record(what) {
            log.push({ what: what, cursorX: Number(cursor.getAttribute("x1")), cursorTime: Number(cursor.getAttribute("data-time")),
                       videoTime: video.currentTime, visible: cursor.getAttribute("visibility") });
          }
          function finish() {
            var pre = document.createElement("pre"); pre.id = "results";
            pre.textContent = JSON.stringify({ steps: log, errors: window.__errors, noteHidden: document.getElementById("replay-note").hidden,
                                               videoError: video.error ? video.error.code : 0 });
            document.body.appendChild(pre);
          }
          function clickChartAt(t) {
            var x = window.emotelabReplay.xOf(t), y = 200, point = svg.createSVGPoint(); point.x = x; point.y = y;
            var client = point.matrixTransform(svg.getScreenCTM());
            var target = document.elementFromPoint(client.x, client.y) || svg;
            target.dispatchEvent(new MouseEvent("click", { clientX: client.x, clientY: client.y, bubbles: true }));
          }
          var links = document.querySelectorAll("a.seek");
          Array.prototype.forEach.call(links, function (link) { steps.push(["link " + link.getAttribute("data-time"), function () { link.click(); }]); });
          steps.push(["chart 4", function () { clickChartAt(4); }]);
          steps.push(["label 2", function () { document.querySelectorAll(".band-label")[1].dispatchEvent(new MouseEvent("click", { bubbles: true })); }]);
          function next() {
            if (steps.length === 0) { finish(); return; }
            var step = steps.shift(), done = false;
            function after() { if (done) { return; } done = true; record(step[0]); next(); }
            if (video.error || !video.getAttribute("src")) { step[1](); setTimeout(after, 50); return; }
            video.addEventListener("seeked", after, { once: true });
            step[1]();
            // Headless Chromium does not always deliver media events within its virtual time: the page's own
            // handlers move the cursor on the click itself, so a step is also recorded after a pause.
            setTimeout(after, 700);
          }
          var started = false;
          function start() { if (started) { return; } started = true; setTimeout(next, 0); }
          if (video.readyState >= 1 || video.error) { start(); }
          else {
            video.addEventListener("loadedmetadata", start, { once: true });
            video.addEventListener("error", start, { once: true });
            setTimeout(start, 1500);
          }
        })();
        </script>
        """

    struct Results: Decodable {
        struct Step: Decodable { var what: String; var cursorX: Double; var cursorTime: Double; var videoTime: Double; var visible: String? }
        var steps: [Step]
        var errors: [String]
        var noteHidden: Bool
        var videoError: Int
    }

    /// Loads `page` with the harness in headless Chromium and returns the results and Chromium's stderr.
    func drive(_ page: String) throws -> (Results, String) {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { throw XCTSkip("chromium is not installed (scripts/setup.sh installs it)") }
        let harness = page.replacingOccurrences(of: "<head>", with: "<head>\n" + Self.harnessHead)
            .replacingOccurrences(of: "</body>", with: Self.harnessTail + "\n</body>")
        // Beside the page, so the recording's relative path is the same.
        let harnessPath = (pagePath as NSString).deletingLastPathComponent + "/harness.html"
        try harness.write(toFile: harnessPath, atomically: true, encoding: .utf8)
        let profile = directory.appendingPathComponent("chromium-profile").path
        let result = try CommandRunner.runProgram(URL(fileURLWithPath: chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=10000", "--dump-dom", URL(fileURLWithPath: harnessPath).absoluteString])
        XCTAssertEqual(result.status, 0, result.stderr)
        guard let open = result.stdout.range(of: "<pre id=\"results\">"),
              let close = result.stdout.range(of: "</pre>", range: open.upperBound..<result.stdout.endIndex) else {
            XCTFail("no results in the dumped page: \(result.stdout.suffix(2000)) \(result.stderr.suffix(2000))")
            throw XCTSkip("no results")
        }
        let json = String(result.stdout[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return (try JSONDecoder().decode(Results.self, from: Data(json.utf8)), result.stderr)
    }

    func testSeekingMovesTheCursorAndTheLinksCarryTheMomentTimes() throws {
        let recording = try addSession()
        let page = try writePage()
        // From reports/ to recordings/P 1 #2?é.mp4, percent-encoded.
        XCTAssertTrue(page.contains("src=\"../recordings/P%201%20%232%3F%C3%A9.mp4\""), page)
        XCTAssertTrue(FileManager.default.fileExists(atPath: recording))
        let (results, stderr) = try drive(page)
        XCTAssertEqual(results.errors, [])
        XCTAssertFalse(stderr.contains("Uncaught"), stderr)
        XCTAssertEqual(results.videoError, 0, "the recording should load")
        XCTAssertTrue(results.noteHidden)
        // The moments `clips` cuts from the same records: Checkout negative at 2.5 s, Rate the app positive at
        // 7.5 s; then the chart clicked at 4 s, then task 2's label (its start, 5.25 s). The chart maps 0…10 s
        // onto x 56…944: x = 56 + 88.8 t.
        XCTAssertEqual(results.steps.map(\.what), ["link 2.5", "link 7.5", "chart 4", "label 2"])
        let expected = [2.5, 7.5, 4, 5.25]
        for (step, time) in zip(results.steps, expected) {
            XCTAssertEqual(step.videoTime, time, accuracy: 0.05, step.what)
            XCTAssertEqual(step.cursorTime, step.videoTime, accuracy: 1e-6, step.what)
            // SVG coordinates are single precision: within a thousandth of a pixel.
            XCTAssertEqual(step.cursorX, 56 + 88.8 * step.videoTime, accuracy: 1e-3, step.what)
            XCTAssertEqual(step.visible, "visible")
        }
    }

    func testAnUnreachableRecordingIsNamedAndTheChartStillSeeks() throws {
        let recording = try addSession()
        let page = try writePage()
        try FileManager.default.removeItem(atPath: recording)
        let (results, stderr) = try drive(page)
        XCTAssertEqual(results.errors, [])
        XCTAssertFalse(stderr.contains("Uncaught"), stderr)
        XCTAssertFalse(results.noteHidden, "the note says the recording cannot be played")
        XCTAssertNotEqual(results.videoError, 0)
        XCTAssertEqual(results.steps.map(\.what), ["link 2.5", "link 7.5", "chart 4", "label 2"])
        // The cursor still follows clicks. Links and labels carry exact times; a click's coordinates are whole
        // CSS pixels, so the chart click lands within a pixel (about 0.015 s here) of 4 s.
        for (step, time) in zip(results.steps, [2.5, 7.5, 4, 5.25]) {
            XCTAssertEqual(step.cursorTime, time, accuracy: step.what.hasPrefix("chart") ? 0.05 : 1e-9, step.what)
            XCTAssertEqual(step.cursorX, 56 + 88.8 * step.cursorTime, accuracy: 1e-3, step.what)
            XCTAssertEqual(step.visible, "visible")
        }
    }
}
