import Foundation
import Reports
import SessionStore
import XCTest

/// Issue 19, item 5: the faces besides the participant's, counted per sample, as stretches, per task, in
/// the CSV, the timeline formats, the chart and the study tables; every value worked out by hand.
final class OthersInViewTests: XCTestCase {
    /// `(time, others)` at 4 samples a second (interval 0.25 s), no participant scores needed.
    static func samples(_ entries: [(Double, Int)]) -> [TimelineSample] {
        entries.map { TimelineSample(time: $0.0, scores: nil, others: $0.1) }
    }

    /// | t    | others | stretch                                                                   |
    /// |------|--------|---------------------------------------------------------------------------|
    /// | 0.00 | 0      |                                                                           |
    /// | 0.25 | 1      | A starts                                                                  |
    /// | 0.50 | 1      | A                                                                         |
    /// | 0.75 | 0      | A: one sample without another face between two with one, bridged         |
    /// | 1.00 | 2      | A (most others: 2)                                                        |
    /// | 1.25 | 1      | A's last sample with others: A ends at 1.25 + 0.25 = 1.50                 |
    /// | 1.50 | 0      | two samples in a row without:                                             |
    /// | 1.75 | 0      | A is closed                                                               |
    /// | 2.00 | 1      | B starts                                                                  |
    /// | 2.25 | 0      | B: bridged                                                                |
    /// | 2.50 | 1      | B's last: next sample at 5.00 is 2.5 s away (> 2 intervals), unsampled:   |
    /// |      |        | B ends at min(2.50 + 0.25, 5.00) = 2.75 and does not span the gap         |
    /// | 5.00 | 1      | C starts                                                                  |
    /// | 5.25 | 1      | C's last: ends at 5.50                                                    |
    /// | 5.50 | 0      | the last sample                                                           |
    static let pattern = samples([(0, 0), (0.25, 1), (0.5, 1), (0.75, 0), (1, 2), (1.25, 1), (1.5, 0), (1.75, 0),
                                  (2, 1), (2.25, 0), (2.5, 1), (5, 1), (5.25, 1), (5.5, 0)])

    func testStretchesBridgeOneSampleDropOutsButNotTwoNorUnsampledTime() {
        XCTAssertEqual(OthersInView.stretches(Self.pattern, sampleRate: 4), [
            OthersStretch(start: 0.25, end: 1.5, samples: 5, maxOthers: 2),
            OthersStretch(start: 2, end: 2.75, samples: 3, maxOthers: 1),
            OthersStretch(start: 5, end: 5.5, samples: 2, maxOthers: 1),
        ])
    }

    /// Sample times jitter by up to a frame around the grid (each sample is the first frame at or after its
    /// grid point): gaps up to two intervals (0.5 s at 4/s) are contiguous, wider ones are unsampled time.
    func testJitteredSamplesStayContiguousUpToTwoIntervals() {
        let timeline = Self.samples([(10, 1), (10.125, 1), (10.5, 1), (11, 1), (11.5625, 1)])
        // 0.125, 0.375 and 0.5 s apart: one stretch; 0.5625 s: a new one. Ends: min(11 + 0.25, 11.5625) and
        // 11.5625 + 0.25 (times exact in binary, so the comparison can be exact).
        XCTAssertEqual(OthersInView.stretches(timeline, sampleRate: 4), [
            OthersStretch(start: 10, end: 11.25, samples: 4, maxOthers: 1),
            OthersStretch(start: 11.5625, end: 11.8125, samples: 1, maxOthers: 1),
        ])
    }

    func testAStretchAtTheEndLastsOneIntervalPastItsLastSample() {
        let timeline = Self.samples([(0, 0), (0.25, 0), (0.5, 3)])
        XCTAssertEqual(OthersInView.stretches(timeline, sampleRate: 4), [OthersStretch(start: 0.5, end: 0.75, samples: 1, maxOthers: 3)])
        // A next sample sooner than one interval (a variable frame rate) ends it there instead.
        let early = Self.samples([(0, 1), (0.2, 0), (0.45, 0)])
        XCTAssertEqual(OthersInView.stretches(early, sampleRate: 4), [OthersStretch(start: 0, end: 0.2, samples: 1, maxOthers: 1)])
        XCTAssertEqual(OthersInView.stretches(Self.samples([(0, 0), (0.25, 0)]), sampleRate: 4), [])
        XCTAssertEqual(OthersInView.stretches([], sampleRate: 4), [])
    }

    func testClippingToATaskAndTheListAsTheReportWritesIt() {
        let stretches = OthersInView.stretches(Self.pattern, sampleRate: 4)
        // A task [1, 2.5): A cut to 1.00–1.50, B cut to 2.00–2.50; C lies outside.
        XCTAssertEqual(OthersInView.clipped(stretches, start: 1, end: 2.5), [
            OthersStretch(start: 1, end: 1.5, samples: 5, maxOthers: 2),
            OthersStretch(start: 2, end: 2.5, samples: 3, maxOthers: 1),
        ])
        // A stretch that ends where a task starts is not in it.
        XCTAssertEqual(OthersInView.clipped(stretches, start: 2.75, end: 5), [])
        // Tenths of a second, as the report's tables show times (0.25 → 0:00.3, 2.75 → 0:02.8).
        XCTAssertEqual(OthersInView.list(stretches), "0:00.3–0:01.5, 0:02.0–0:02.8, 0:05.0–0:05.5")
        XCTAssertEqual(OthersInView.list([]), "none")
    }

    // MARK: The timeline

    /// The counts come with every row; smoothing averages the emotion values only, never the counts.
    func testTimelineRowsCarryTheCountsUnsmoothed() {
        let rows = TimelineSmoother.rows(HandMadeSession.timeline)
        XCTAssertEqual(rows.map(\.others), [0, 0, 1, 1, 0, 2, 0, 0, 0, 0])
        XCTAssertEqual(rows.map(\.faces), [1, 1, 1, 2, 0, 2, 0, 0, 1, 0])
        let smoothed = TimelineSmoother.rows(HandMadeSession.timeline, window: 3)
        XCTAssertEqual(smoothed.map(\.others), rows.map(\.others))
        XCTAssertEqual(smoothed.map(\.faces), rows.map(\.faces))
        XCTAssertNotEqual(smoothed[0].valence, rows[0].valence, "the emotion values are smoothed")
        // A cut keeps each row's own counts.
        XCTAssertEqual(TimelineSmoother.rows(HandMadeSession.timeline, window: 3, from: 1, to: 2.5).map(\.others), [1, 1, 0, 2])
    }

    func testStretchFormats() throws {
        let stretches = OthersInView.stretches(Self.pattern, sampleRate: 4)
        XCTAssertEqual(TimelineFormat.csv.render(stretches: stretches), """
            start_s,end_s,duration_s,samples,max_others\r
            0.250,1.500,1.250,5,2\r
            2.000,2.750,0.750,3,1\r
            5.000,5.500,0.500,2,1\r

            """)
        XCTAssertEqual(TimelineFormat.table.render(stretches: Array(stretches.prefix(1))), """
            start_s  end_s  duration_s  samples  max_others
              0.250  1.500       1.250        5           2

            """)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TimelineFormat.json.render(stretches: stretches).utf8))
                                   as? [[String: Any]])
        XCTAssertEqual(parsed.map { ($0["start_s"] as? NSNumber)?.doubleValue }, [0.25, 2, 5])
        XCTAssertEqual(parsed.map { ($0["end_s"] as? NSNumber)?.doubleValue }, [1.5, 2.75, 5.5])
        XCTAssertEqual(parsed.map { ($0["max_others"] as? NSNumber)?.intValue }, [2, 1, 1])
        XCTAssertEqual(TimelineFormat.json.render(stretches: []), "[]\n")
        XCTAssertEqual(TimelineFormat.csv.render(stretches: []), "start_s,end_s,duration_s,samples,max_others\r\n")
    }

    // MARK: The report

    /// HandMadeSession: others at 1.0 (1), 1.5 (1) and 2.5 (2); at 2 samples/s one stretch 1.0–3.0 s.
    func testReportRowsAndStretches() throws {
        let report = try HandMadeSession.report()
        XCTAssertEqual(report.rows.map(\.task), ["A", "B", "C", "D", "(whole session)"])
        XCTAssertEqual(report.rows.map(\.othersSamples), [2, 1, 0, 0, 3])
        XCTAssertEqual(report.rows.map(\.othersInView), [0.5, 0.25, 0, nil, 0.3])
        XCTAssertEqual(report.othersStretches, [OthersStretch(start: 1, end: 3, samples: 4, maxOthers: 2)])
    }

    /// The page: the facts line, the table's Others column with the task's part of the stretch in its
    /// tooltip, the list under the chart, the legend and the chart's strip with its mark over 1.0–3.0 s.
    func testHTMLShowsTheShareTheStretchesAndTheStrip() throws {
        let page = HTMLReport.page(try HandMadeSession.report(), smoothing: 0)
        XCTAssertTrue(page.contains("<dt>Others in view</dt><dd>3 samples (30.0 %) with a face besides the participant&#39;s, "
                                    + "in 1 stretch: 0:01.0–0:03.0</dd>"), page)
        XCTAssertTrue(page.contains("<th>Face</th><th>Others</th>"))
        XCTAssertTrue(page.contains("<td title=\"others in view 0:01.0–0:02.0\">50.0 %</td>"), "A: 2 of 4 samples")
        XCTAssertTrue(page.contains("<td title=\"others in view 0:02.0–0:03.0\">25.0 %</td>"), "B: 1 of 4 samples")
        XCTAssertTrue(page.contains("<td title=\"no one besides the participant was in view\">0.0 %</td>"), "C")
        XCTAssertTrue(page.contains("<td class=\"empty\" title=\"no samples\">–</td>"), "D has no samples")
        XCTAssertTrue(page.contains("<td title=\"others in view 0:01.0–0:03.0\">30.0 %</td>"), "whole session")
        XCTAssertTrue(page.contains("<h3>Others in view</h3>"))
        XCTAssertTrue(page.contains("<li><span class=\"time\">0:01.0–0:03.0</span> (2.0 s; up to 2 other faces)</li>"), page)
        XCTAssertTrue(page.contains("</span>others in view</span>"), "the legend names the strip")
        // The axis spans the video's 6 s over x 56…944: x = 56 + 148 t, so 1.0–3.0 s is x 204–500.
        XCTAssertTrue(page.contains("<rect class=\"others-stretch\" data-start=\"1.0\" data-end=\"3.0\" x=\"204.0\" y=\"428.0\" "
                                    + "width=\"296.0\" height=\"14.0\"><title>Others in view 0:01.0–0:03.0 (2.0 s; up to 2 "
                                    + "other faces)</title></rect>"), page)
        XCTAssertTrue(page.contains("aria-label=\"Emotion timeline with task bands; others in view in 1 stretch, listed under the chart\""))
        XCTAssertNoThrow(try XHTMLDocument(page))
    }

    func testHTMLWithoutOthersSaysSoAndDrawsAnEmptyStrip() throws {
        let alone = HandMadeSession.timeline.map { TimelineSample(time: $0.time, scores: $0.scores) }
        let report = try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run, timeline: alone,
                                       tasks: HandMadeSession.tasks)
        let page = HTMLReport.page(report)
        XCTAssertTrue(page.contains("<dt>Others in view</dt><dd>no face besides the participant&#39;s was found</dd>"))
        XCTAssertFalse(page.contains("<h3>Others in view</h3>"))
        XCTAssertFalse(page.contains("others-stretch"))
        XCTAssertTrue(page.contains("<g class=\"others\">\n</g>"))
        XCTAssertTrue(page.contains("no one besides the participant was in view"))
    }

    // MARK: The study

    /// Two participants with Checkout [0, 4) at 1 sample/s: P01 with another face at 1 and 2 (2 of 4 =
    /// .5), P02 at 3 (1 of 4 = .25). Mean .375, SD √(((.125)² + (.125)²) / 1) = .1768; 95 %: t(1) = 12.706,
    /// ± 12.706 × .1768 / √2 = ± 1.5883 → clipped to 0 … 1.
    func testStudyTablesCarryOthersInView() throws {
        func participant(_ label: String, id: Int64, others: [Int]) throws -> StudyParticipant {
            let timeline = others.enumerated().map { t, count in
                TimelineSample(time: Double(t), scores: EmotionScores([0, 0, 0, 0.5, 0.5, 0, 0])!, others: count)
            }
            let session = Session(id: id, info: SessionInfo(filePath: "/s/\(label).mp4", contentHash: "h\(id)", duration: 4),
                                  createdAt: Date(timeIntervalSince1970: 0))
            let run = Run(id: id, sessionID: id, settings: RunSettings(modelName: "B", modelHash: "b0b0", sampleRate: 1, detector: "haar"),
                          status: .complete, message: nil, participantTrack: 1, startedAt: Date(timeIntervalSince1970: 0),
                          finishedAt: Date(timeIntervalSince1970: 1))
            return StudyParticipant(label: label, report: try SessionReport(
                session: session, run: run, timeline: timeline, tasks: [TaskSegment(name: "Checkout", start: 0, end: 4)],
                sessionName: "\(label).mp4"), baseline: "none")
        }
        let study = try StudyReport(participants: [try participant("P01", id: 1, others: [0, 1, 1, 0]),
                                                   try participant("P02", id: 2, others: [0, 0, 0, 1])])
        let checkout = try XCTUnwrap(study.summaries.first)
        let others = try XCTUnwrap(checkout.othersInView)
        XCTAssertEqual(others.n, 2)
        XCTAssertEqual(others.mean, 0.375, accuracy: 1e-12)
        XCTAssertEqual(others.sd ?? .nan, 0.125 * 2.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(others.low, 0)
        XCTAssertEqual(others.high, 1)

        let rows = StudyCSV.rows(study).components(separatedBy: "\r\n")
        XCTAssertTrue(rows[0].hasSuffix(",dominant_emotion,others_samples,others_in_view"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("P01,P01.mp4,"), rows[1])
        XCTAssertTrue(rows[1].hasSuffix(",2,0.5000"), rows[1])
        XCTAssertTrue(rows[3].hasPrefix("P02,P02.mp4,"), rows[3])
        XCTAssertTrue(rows[3].hasSuffix(",1,0.2500"), rows[3])
        let summary = StudyCSV.summary(study).components(separatedBy: "\r\n")
        XCTAssertTrue(summary[0].hasSuffix(",others_in_view_n,others_in_view_mean,others_in_view_sd,others_in_view_low,others_in_view_high"))
        XCTAssertTrue(summary[1].hasPrefix("Checkout,"))
        XCTAssertTrue(summary[1].hasSuffix(",2,0.3750,0.1768,0.0000,1.0000"), summary[1])
        // A table written before these columns is still an earlier study table (replaced without --overwrite).
        for text in [StudyCSV.rows(study), StudyCSV.summary(study)] {
            let cut = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { line in
                line.components(separatedBy: ",").dropLast(text.hasPrefix("task,") ? 5 : 2).joined(separator: ",")
            }.joined(separator: "\r\n") + "\r\n"
            XCTAssertTrue(StudyCSV.isStudyTable(Data(cut.utf8)), cut)
        }

        let page = StudyHTML.page(study)
        XCTAssertTrue(page.contains("<h2>Others in view per task</h2>"))
        XCTAssertTrue(page.contains("<title>P01: 50.0 %</title>"))
        XCTAssertTrue(page.contains("<title>P02: 25.0 %</title>"))
        XCTAssertTrue(page.contains("; others in view 50.0 % of the samples (0:01.0–0:03.0)</li>"), page)
        XCTAssertNoThrow(try XHTMLDocument(page))
    }
}
