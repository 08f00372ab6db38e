import Foundation
@testable import Reports
import SessionStore
import XCTest

/// The replay part of the session page: video, chart scale, cursor and the strongest moments' links.
final class HTMLReplayTests: XCTestCase {
    /// angry, disgust, fear, happy, neutral, sad, surprise
    static let calm = EmotionScores([0.01, 0.01, 0.01, 0.01, 0.94, 0.01, 0.01])!
    static let sad = EmotionScores([0.01, 0.01, 0.01, 0.01, 0.35, 0.6, 0.01])!
    static let pleased = EmotionScores([0.01, 0.01, 0.01, 0.8, 0.14, 0.01, 0.01])!
    static let fullyHappy = EmotionScores([0, 0, 0, 1, 0, 0, 0] as [Double])!

    /// 10 s at 4 samples/s: one noisy fully happy sample at 0.5 s, sad over [1.5, 4], pleased over
    /// [6.5, 9], calm otherwise; tasks Checkout [0, 5.25) and Rate the app [5.25, 10).
    static func report() throws -> SessionReport {
        let timeline = (0..<40).map { i -> TimelineSample in
            let t = Double(i) / 4
            let scores = t == 0.5 ? fullyHappy : (1.5...4).contains(t) ? sad : (6.5...9).contains(t) ? pleased : calm
            return TimelineSample(time: t, scores: scores)
        }
        let session = Session(id: 1, info: SessionInfo(filePath: "/lab/p 1.mp4", contentHash: "abc", duration: 10,
                                                       frameWidth: 160, frameHeight: 90, recordedFPS: 25),
                              createdAt: Date(timeIntervalSince1970: 1_800_000_000))
        return try SessionReport(session: session, run: HandMadeSession.run, timeline: timeline,
                                 tasks: [TaskSegment(name: "Checkout", start: 0, end: 5.25),
                                         TaskSegment(name: "Rate the app", start: 5.25, end: 10)], baseline: nil)
    }

    func testMomentLinksCarryTheStrongestSmoothedMomentsPerTask() throws {
        let html = HTMLReport.page(try Self.report(), replay: Replay(source: "p%201.mp4", name: "/lab/p 1.mp4"))
        let document = try XHTMLDocument(html)
        let links = document.withClass("seek")
        // Smoothed over ±1 s, with at least 3 face samples:
        // Checkout negative: the ±1 s window is all sad (valence 0.01 − 0.6) first at 2.5 s.
        // Checkout positive: the noisy happy sample at 0.5 s (raw valence 1) is never itself the moment; the
        //   highest smoothed valence is at 0 s, where it is averaged with 4 calm samples: happy (4 × 0.01 + 1)/5
        //   = 0.208 less sad 0.04/5 = 0.008, valence 0.2.
        // Rate the app positive: all pleased first at 7.5 s (0.8 − 0.01); no negative there (calm is 0).
        XCTAssertEqual(links.map { $0.attributes["data-time"] }, ["2.5", "0.0", "7.5"])
        XCTAssertEqual(links.map { $0.attributes["href"] }, ["#t=2.5", "#t=0.0", "#t=7.5"])
        XCTAssertEqual(links.map(\.text), ["0:02.5", "0:00.0", "0:07.5"])
        let rows = document.elements.filter { $0.name == "tr" && ($0.attributes["class"] ?? "").hasPrefix("moment ") }
        XCTAssertEqual(rows.map(\.text), ["1Checkoutnegative0:02.5sad-0.590", "1Checkoutpositive0:00.0happy0.200",
                                          "2Rate the apppositive0:07.5happy0.790"])
        // The same moments `clips` cuts.
        let moments = HTMLReport.replayMoments(try Self.report())
        XCTAssertEqual(moments.map(\.time), [2.5, 0, 7.5])
        XCTAssertEqual(moments[1].score, 0.2, accuracy: 1e-12)
    }

    func testTheChartCarriesItsScaleACursorAndTaskTimes() throws {
        let html = HTMLReport.page(try Self.report(), replay: Replay(source: "a%26b.mp4", name: "a&b.mp4"))
        let document = try XHTMLDocument(html)
        let chart = try XCTUnwrap(document.elements.first { $0.name == "svg" && $0.attributes["class"] == "chart" })
        XCTAssertEqual(chart.attributes["data-t0"], "0")
        XCTAssertEqual(chart.attributes["data-t1"], "10.0")
        XCTAssertEqual(chart.attributes["data-x0"], "56.0")
        XCTAssertEqual(chart.attributes["data-x1"], "944.0")
        let cursor = try XCTUnwrap(document.withClass("cursor").first)
        XCTAssertEqual(cursor.attributes["visibility"], "hidden")
        let bands = document.elements.filter { $0.name == "rect" && ($0.attributes["class"] ?? "").hasPrefix("band ") }
        XCTAssertEqual(bands.map { $0.attributes["data-start"] }, ["0.0", "5.25"])
        XCTAssertEqual(document.withClass("band-label-group").map { $0.attributes["data-start"] }, ["0.0", "5.25"])
        let video = try XCTUnwrap(document.elements.first { $0.name == "video" })
        XCTAssertEqual(video.attributes["src"], "a%26b.mp4")      // `&` escaped in the markup, read back as is
        XCTAssertEqual(document.elements.first { $0.attributes["id"] == "replay-note" }?.attributes["hidden"], "hidden")
        XCTAssertTrue(html.contains("//<![CDATA[") && html.contains("window.emotelabReplay"))
        XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "the page loads nothing from the network")
    }

    func testWithoutARecordingThereIsNoSourceAndNoReplayWithoutBeingAsked() throws {
        let missing = HTMLReport.page(try Self.report(), replay: Replay(source: nil, name: "p 1.mp4"))
        let document = try XHTMLDocument(missing)
        let video = try XCTUnwrap(document.elements.first { $0.name == "video" })
        XCTAssertNil(video.attributes["src"])
        XCTAssertTrue(document.elements.contains { $0.attributes["id"] == "replay-note" })
        XCTAssertEqual(document.withClass("seek").count, 3)
        let plain = HTMLReport.page(try Self.report())
        XCTAssertFalse(plain.contains("<video") || plain.contains("<script"))
    }
}
