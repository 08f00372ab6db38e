import Foundation
@testable import Reports
import SessionStore
import XCTest

final class HTMLReportTests: XCTestCase {
    func testPageParsesAsXMLAndDrawsALabelledBandPerTask() throws {
        let html = HTMLReport.page(try HandMadeSession.report())
        let document = try XHTMLDocument(html)
        XCTAssertEqual(document.elements.first?.name, "html")

        let bands = document.elements.filter { $0.name == "rect" && ($0.attributes["class"] ?? "").hasPrefix("band ") }
        XCTAssertEqual(bands.count, 4)
        // 960 px wide chart, plot from x = 56 to 944 (888 px) over 6 s: A [0, 2) starts at 56, is 296 px wide.
        XCTAssertEqual(bands[0].attributes["x"], "56.0")
        XCTAssertEqual(bands[0].attributes["width"], "296.0")
        XCTAssertEqual(bands[2].attributes["x"], "648.0")     // 56 + 888 × 4/6
        XCTAssertEqual(bands.map(\.text), ["A (0:00.000–0:02.000)", "B (0:02.000–0:04.000)",
                                           "C (0:04.000–0:05.000)", "D (0:05.000–0:06.000)"])
        XCTAssertEqual(document.withClass("band-label").map(\.text), ["1. A", "2. B", "3. C", "4. D"])
        // Each label has the whole name and the times on hover (labels may be cut short).
        let titles = document.elements.filter { $0.name == "title" }.map(\.text)
        XCTAssertTrue(titles.contains("3. C (0:04.000–0:05.000)"), "\(titles)")

        // 10 samples → 10 bins of 0.6 s. Bins 0 (t 0, 0.5), 2 (t 1.5) and 6 (t 4.0) hold faces, bin 1 (t 1.0)
        // does not: three runs of face bins, each drawn as one polygon per emotion and one valence line.
        XCTAssertEqual(document.elements.filter { $0.name == "polygon" }.count, 3 * 7)
        XCTAssertEqual(document.elements.filter { $0.name == "polyline" }.count, 3)

        // Two tables (summary, mean emotions), each with a row per task and the whole session; a dash where
        // a task has no face.
        let rows = document.elements.filter { $0.name == "tr" }
        XCTAssertEqual(rows.count, 2 * (1 + 5))
        let taskB = try XCTUnwrap(rows.first { $0.text.hasPrefix("2B") })
        XCTAssertTrue(taskB.text.contains("–"))
        XCTAssertEqual(document.withClass("whole").count, 2)
        // Task A's emotion mix bar: happy is 0.8/3 of 120 px.
        let mix = try XCTUnwrap(document.elements.first { $0.name == "svg" && $0.attributes["class"] == "mix" })
        XCTAssertTrue(mix.text.hasPrefix("happy 0.267, surprise 0.033, neutral 0.333"), mix.text)
    }

    /// With `--baseline 1` the chart plots valence less the baseline (mean of t 0 and 0.5: (0.5 + 0) / 2 =
    /// 0.25) on a −2 … +2 axis: the face at t 4.0 (valence 0.9) is at 0.65, y = 282 + 110 × (1 − (0.65/2 + 1)/2)
    /// = 319.125; without the baseline it is at y = 282 + 110 × (1 − (0.9 + 1)/2) = 287.5.
    func testValenceChartFollowsTheBaseline() throws {
        func lastValencePoint(_ html: String) throws -> String? {
            let document = try XHTMLDocument(html)
            return document.elements.filter { $0.name == "polyline" }.last?.attributes["points"]
        }
        let plain = HTMLReport.page(try HandMadeSession.report(), smoothing: 0)
        let baselined = HTMLReport.page(try HandMadeSession.report(baseline: 1), smoothing: 0)
        XCTAssertEqual(try lastValencePoint(plain)?.components(separatedBy: ",").last, "287.5")
        // Issue 20, item 4: a 5 s rolling mean averages, at t 4.0, the face samples within ±2.5 s — t 1.5
        // (−0.4) and 4.0 (0.9) → 0.25: y = 282 + 110 × (1 − 1.25 / 2) = 323.25.
        let smoothed = HTMLReport.page(try HandMadeSession.report(), smoothing: 5)
        XCTAssertEqual(try lastValencePoint(smoothed)?.components(separatedBy: ",").last, "323.2")
        XCTAssertTrue(smoothed.contains("rolling mean over 5.00 s"))
        // The default for this 6 s session is 6 / 24 = 0.25 s: at t 4.0 only the sample itself (±0.125 s).
        XCTAssertEqual(HTMLReport.defaultSmoothing(forLength: 6), 0.25)
        XCTAssertEqual(HTMLReport.defaultSmoothing(forLength: 120), 5)
        XCTAssertEqual(try lastValencePoint(HTMLReport.page(try HandMadeSession.report()))?.components(separatedBy: ",").last, "287.5")
        XCTAssertEqual(try lastValencePoint(baselined)?.components(separatedBy: ",").last, "319.1")
        XCTAssertTrue(baselined.contains(">valence − baseline (0.250)</text>"))
        XCTAssertTrue(baselined.contains("text-anchor=\"end\">+2</text>"))
        XCTAssertTrue(plain.contains(">valence</text>"))
        XCTAssertTrue(plain.contains("text-anchor=\"end\">+1</text>"))
    }

    /// Table times are rounded to the tenth and always show it, so a column lines up and a session of
    /// 15.967 s ends at 0:16.0 like its last task (it used to show 0:15).
    func testTableTimesRoundToTenths() {
        XCTAssertEqual([72, 72.25, 15.967, 0, 3600].map(HTMLReport.shortClock),
                       ["1:12.0", "1:12.3", "0:16.0", "0:00.0", "1:00:00.0"])
    }

    func testPageIsSelfContained() throws {
        let html = HTMLReport.page(try HandMadeSession.report(baseline: 1))
        let document = try XHTMLDocument(html)
        for element in document.elements {
            XCTAssertFalse(["script", "link", "img", "iframe", "object", "embed", "image", "use"].contains(element.name),
                           "element <\(element.name)> may load or run something")
            for attribute in element.attributes.keys {
                XCTAssertFalse(["src", "href", "xlink:href"].contains(attribute) || attribute.hasPrefix("on"),
                               "attribute \(attribute) on <\(element.name)>")
            }
        }
        let css = document.elements.filter { $0.name == "style" }.map(\.text).joined()
        XCTAssertFalse(css.contains("url(") || css.contains("@import") || css.contains("@font-face"))
        XCTAssertTrue(document.elements.contains { $0.name == "dd" && $0.text.hasPrefix("first 1 s: mean valence 0.2500, subtracted") })
    }

    func testPageWithoutTasksOrFaces() throws {
        let timeline = (0..<8).map { TimelineSample(time: Double($0) * 0.25, scores: nil) }
        let report = try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run, timeline: timeline,
                                       tasks: [])
        let document = try XHTMLDocument(HTMLReport.page(report))
        XCTAssertTrue(document.withClass("band0").isEmpty)
        XCTAssertTrue(document.elements.filter { $0.name == "polygon" }.isEmpty)
        XCTAssertEqual(document.elements.filter { $0.name == "tr" }.count, 2 * 2)
    }
}
