import Foundation
import Reports
import SessionStore
import XCTest

/// The report's formulas against values worked out by hand on `HandMadeSession` (see its table).
final class ReportFormulaTests: XCTestCase {
    private func assertEqual(_ actual: [Double]?, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("no values", file: file, line: line) }
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-9, file: file, line: line) }
    }

    private func assertEqual(_ actual: Double?, _ expected: Double, file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("nil instead of \(expected)", file: file, line: line) }
        XCTAssertEqual(actual, expected, accuracy: 1e-9, file: file, line: line)
    }

    func testTaskWithSomeFaceSamples() throws {
        let a = try HandMadeSession.report().rows[0]
        XCTAssertEqual(a.task, "A")
        XCTAssertEqual(a.session, "p01.mp4")
        // Samples with 0 ≤ t < 2: 0.0, 0.5, 1.0, 1.5; faces at 0.0, 0.5, 1.5.
        XCTAssertEqual(a.samples, 4)
        XCTAssertEqual(a.faceSamples, 3)
        assertEqual(a.facePresence, 3.0 / 4)
        // Means over the 3 faces: angry (.1+0+.4)/3, disgust .1/3, fear .1/3, happy (.6+.2+0)/3,
        // neutral (.2+.5+.3)/3, sad (.1+.2+.1)/3, surprise .1/3.
        assertEqual(a.emotionMeans, [0.5 / 3, 0.1 / 3, 0.1 / 3, 0.8 / 3, 1.0 / 3, 0.4 / 3, 0.1 / 3])
        XCTAssertEqual(a.dominant, .neutral)                     // 1/3 > 0.8/3
        assertEqual(a.valenceMean, (0.5 + 0 - 0.4) / 3)          // = 0.0333…
        assertEqual(a.valenceMin, -0.4)
        assertEqual(a.valenceMax, 0.5)
        // Engagement over the 3 face samples only (issue 20): (1−.2) + (1−.5) + (1−.3) = 2.0 → 100 × 2.0 / 3.
        assertEqual(a.engagement, 200.0 / 3)
        // Two samples' worth of time (2 s) is less than two 5-second blocks: no interval.
        XCTAssertNil(a.engagementInterval)
        // Satisfaction: 50 × (1 + 0.1/3) = 51.666…
        assertEqual(a.satisfaction, 50 * (1 + 0.1 / 3))
    }

    func testTaskWithoutFaceSamplesHasEmptyCellsAndAPresenceOfZero() throws {
        let b = try HandMadeSession.report().rows[1]
        XCTAssertEqual(b.samples, 4)
        XCTAssertEqual(b.faceSamples, 0)
        assertEqual(b.facePresence, 0)
        XCTAssertNil(b.engagement)            // no face: nothing to be expressive with (presence says 0)
        XCTAssertNil(b.emotionMeans)
        XCTAssertNil(b.dominant)
        XCTAssertNil(b.valenceMean)
        XCTAssertNil(b.valenceMin)
        XCTAssertNil(b.valenceMax)
        XCTAssertNil(b.satisfaction)
    }

    func testTaskWithOneFaceAndATaskWithoutSamples() throws {
        let rows = try HandMadeSession.report().rows
        let c = rows[2]
        // 4.0 (face) and 4.5 (no face).
        XCTAssertEqual(c.samples, 2)
        assertEqual(c.facePresence, 0.5)
        assertEqual(c.emotionMeans, [0, 0, 0, 0.9, 0.1, 0, 0])
        XCTAssertEqual(c.dominant, .happy)
        assertEqual(c.valenceMean, 0.9)
        assertEqual(c.engagement, 90)                             // 100 × (1 − .1), the one face sample
        assertEqual(c.satisfaction, 50 * 1.9)                     // 95

        let d = rows[3]
        XCTAssertEqual(d.samples, 0)
        XCTAssertNil(d.facePresence)
        XCTAssertNil(d.engagement)
        XCTAssertNil(d.satisfaction)
    }

    func testWholeSessionRow() throws {
        let report = try HandMadeSession.report()
        XCTAssertEqual(report.rows.count, 5)
        let whole = report.wholeSession
        XCTAssertTrue(whole.isWholeSession)
        XCTAssertEqual(whole.task, ReportRow.wholeSessionName)
        XCTAssertEqual(whole.start, 0)
        XCTAssertEqual(whole.end, 6)                                 // the video's duration
        XCTAssertEqual(whole.samples, 10)
        XCTAssertEqual(whole.faceSamples, 4)
        assertEqual(whole.facePresence, 0.4)
        // Over the 4 faces: angry .5/4, disgust .1/4, fear .1/4, happy 1.7/4, neutral 1.1/4, sad .4/4, surprise .1/4.
        assertEqual(whole.emotionMeans, [0.125, 0.025, 0.025, 0.425, 0.275, 0.1, 0.025])
        XCTAssertEqual(whole.dominant, .happy)
        assertEqual(whole.valenceMean, (0.5 + 0 - 0.4 + 0.9) / 4)   // 0.25
        assertEqual(whole.valenceMin, -0.4)
        assertEqual(whole.valenceMax, 0.9)
        // (.8 + .5 + .7 + .9) / 4 face samples = .725 → 72.5.
        assertEqual(whole.engagement, 72.5)
        assertEqual(whole.satisfaction, 62.5)                       // 50 × 1.25
    }

    func testBaselineSubtractsTheMeanValenceOfTheFirstSeconds() throws {
        // Face samples with t < 1: valences .5 and 0 → baseline .25.
        let report = try HandMadeSession.report(baseline: 1)
        assertEqual(report.baselineValence, 0.25)
        let a = report.rows[0]
        assertEqual(a.valenceMean, 0.1 / 3 - 0.25)                  // −0.2166…
        assertEqual(a.valenceMin, -0.65)
        assertEqual(a.valenceMax, 0.25)
        assertEqual(a.satisfaction, 50 * (1 + 0.1 / 3 - 0.25))      // 39.1666…
        assertEqual(report.rows[2].satisfaction, 50 * (1 + 0.65))   // 82.5
        assertEqual(report.wholeSession.valenceMean, 0)
        assertEqual(report.wholeSession.satisfaction, 50)
        // Emotion means and engagement do not depend on the baseline.
        assertEqual(a.engagement, 200.0 / 3)
    }

    /// Issue 20: a baseline may be a task or a time range, and applies to every emotion probability too.
    func testBaselineFromATaskOrARangeAppliesToEmotionsAndValence() throws {
        // Task C holds one face, t 4.0: probabilities .00 .00 .00 .90 .10 .00 .00, valence .9.
        let byTask = try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run,
                                       timeline: HandMadeSession.timeline, tasks: HandMadeSession.tasks, baseline: .task("C"))
        let a = byTask.rows[0]
        assertEqual(a.valenceMean, 0.1 / 3 - 0.9)                   // −0.8666…
        // A's means (see testTaskWithSomeFaceSamples) less C's: happy .8/3 − .9, neutral 1/3 − .1, the rest unchanged.
        assertEqual(a.emotionChanges, [0.5 / 3, 0.1 / 3, 0.1 / 3, 0.8 / 3 - 0.9, 1.0 / 3 - 0.1, 0.4 / 3, 0.1 / 3])
        assertEqual(a.emotionMeans, [0.5 / 3, 0.1 / 3, 0.1 / 3, 0.8 / 3, 1.0 / 3, 0.4 / 3, 0.1 / 3])
        XCTAssertEqual(a.dominant, .neutral, "the dominant emotion is that of the probabilities themselves")
        let line = ReportCSV.text(byTask).components(separatedBy: "\r\n")[1]
        XCTAssertTrue(line.contains(",0.1667,0.0333,0.0333,-0.6333,0.2333,0.1333,0.0333,neutral,-0.8667,"), line)
        XCTAssertTrue(line.hasSuffix(",task 'C',2,0.5000"), line)     // then A's others in view (2 of 4 samples)
        // The range 0–1 s holds the faces at 0.0 and 0.5: valence (.5 + 0) / 2 = .25 as with --baseline 1;
        // neutral (.2 + .5) / 2 = .35.
        let byRange = try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run,
                                        timeline: HandMadeSession.timeline, tasks: HandMadeSession.tasks,
                                        baseline: Baseline(argument: "0:00-0:01"))
        assertEqual(byRange.baselineValence, 0.25)
        assertEqual(byRange.baselineProbabilities, [0.05, 0, 0.05, 0.4, 0.35, 0.15, 0])
        XCTAssertEqual(Baseline(argument: "task:Warm-up"), .task("Warm-up"))
        XCTAssertEqual(Baseline(argument: "30"), .firstSeconds(30))
        XCTAssertThrowsError(try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run,
                                               timeline: HandMadeSession.timeline, tasks: HandMadeSession.tasks,
                                               baseline: .task("B"))) { error in
            XCTAssertEqual("\(error)", "no face samples in the baseline (task 'B'): cannot compute a baseline")
        }
        XCTAssertThrowsError(try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run,
                                               timeline: HandMadeSession.timeline, tasks: HandMadeSession.tasks,
                                               baseline: .task("Z"))) { error in
            XCTAssertEqual("\(error)", "no task 'Z' to take the baseline from")
        }
    }

    func testSatisfactionIsClampedWhenTheBaselineShiftsValenceOutOfRange() throws {
        // A baseline window of 0.5 s holds only t = 0 (valence .5); task C's valence .9 − .5 = .4 stays in
        // range, but a made-up strongly negative baseline would not: check with a timeline of its own.
        let timeline = [TimelineSample(time: 0, scores: HandMadeSession.scores([0, 0, 0, 1, 0, 0, 0])),
                        TimelineSample(time: 1, scores: HandMadeSession.scores([1, 0, 0, 0, 0, 0, 0]))]
        let report = try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run, timeline: timeline,
                                       tasks: [TaskSegment(name: "late", start: 1, end: 2)], baselineSeconds: 0.5)
        // valence at 1 s: 0 − 1 = −1; minus the baseline 1 → −2; 50 × (1 − 2) = −50 → clamped to 0.
        assertEqual(report.rows[0].valenceMean, -2)
        assertEqual(report.rows[0].satisfaction, 0)
    }

    func testBaselineErrors() {
        XCTAssertThrowsError(try HandMadeSession.report(baseline: 0)) { error in
            XCTAssertEqual("\(error)", "baseline must be a positive number of seconds, got 0.0")
        }
        let tasks = [TaskSegment(name: "x", start: 0, end: 1)]
        let lateFaces = Array(HandMadeSession.timeline.dropFirst(4))
        XCTAssertThrowsError(try SessionReport(session: HandMadeSession.session(), run: HandMadeSession.run,
                                               timeline: lateFaces, tasks: tasks, baselineSeconds: 3)) { error in
            XCTAssertEqual("\(error)", "no face samples in the first 3.000 s: cannot compute a valence baseline")
        }
    }

    /// A report written before the interval and baseline columns existed is still this session's earlier
    /// report (replaced without --overwrite); the same rows under another header are not.
    func testEarlierReportWithTheOldHeaderIsRecognised() throws {
        let current = ReportCSV.text(try HandMadeSession.report())
        let old = current.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            .map { $0.components(separatedBy: ",").prefix(21).joined(separator: ",") + "\r\n" }.joined()
        XCTAssertTrue(ReportCSV.isReport(Data(current.utf8), sessionPath: "/recordings/p01.mp4", end: 6))
        XCTAssertTrue(ReportCSV.isReport(Data(old.utf8), sessionPath: "/recordings/p01.mp4", end: 6))
        // Written before the others-in-view columns (30 columns, up to `baseline`): also this session's report.
        let beforeOthers = current.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            .map { $0.components(separatedBy: ",").prefix(30).joined(separator: ",") + "\r\n" }.joined()
        XCTAssertTrue(beforeOthers.hasPrefix(ReportCSV.columns.prefix(30).joined(separator: ",") + "\r\n"))
        XCTAssertTrue(ReportCSV.isReport(Data(beforeOthers.utf8), sessionPath: "/recordings/p01.mp4", end: 6))
        XCTAssertFalse(ReportCSV.isReport(Data(old.replacingOccurrences(of: "satisfaction\r\n", with: "joy\r\n").utf8),
                                          sessionPath: "/recordings/p01.mp4", end: 6))
    }

    func testCSVCellsAreRoundedAndEmptyWhereUndefined() throws {
        let lines = ReportCSV.text(try HandMadeSession.report()).components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "session,task,start_s,end_s,duration_s,samples,face_samples,face_presence,angry,disgust,fear,happy,neutral,sad,surprise,dominant_emotion,valence_mean,valence_min,valence_max,engagement,satisfaction,face_presence_low,face_presence_high,engagement_low,engagement_high,satisfaction_low,satisfaction_high,valence_low,valence_high,baseline,others_samples,others_in_view")
        // Every segment is shorter than two 5-second blocks: the interval cells are empty. Others in view
        // (HandMadeSession's `others` column): A has them at 1.0 and 1.5 (2 of 4 samples), B at 2.5 (1 of 4),
        // D has no samples (no share), the whole session 3 of 10.
        XCTAssertEqual(lines[1], "p01.mp4,A,0.000,2.000,2.000,4,3,0.7500,0.1667,0.0333,0.0333,0.2667,0.3333,0.1333,0.0333,neutral,0.0333,-0.4000,0.5000,66.67,51.67" + String(repeating: ",", count: 9) + "none,2,0.5000")
        XCTAssertEqual(lines[2], "p01.mp4,B,2.000,4.000,2.000,4,0,0.0000" + String(repeating: ",", count: 22) + "none,1,0.2500")
        XCTAssertTrue(lines[3].hasSuffix(",none,0,0.0000"), "C: no other face at 4.0 or 4.5: \(lines[3])")
        XCTAssertEqual(lines[4], "p01.mp4,D,5.000,6.000,1.000,0,0" + String(repeating: ",", count: 23) + "none,0,")
        XCTAssertEqual(lines[5], "p01.mp4,(whole session),0.000,6.000,6.000,10,4,0.4000,0.1250,0.0250,0.0250,0.4250,0.2750,0.1000,0.0250,happy,0.2500,-0.4000,0.9000,72.50,62.50" + String(repeating: ",", count: 9) + "none,3,0.3000")
        XCTAssertEqual(lines[6], "")
        XCTAssertEqual(lines.count, 7)
    }
}

/// Issue 22, item 2: the whole-session row starts at the first sample when the first sample comes more
/// than one sampling interval after 0 (nothing was analysed before it).
final class WholeSessionStartTests: XCTestCase {
    func testRowStartsWhereTheSamplesStart() {
        func samples(_ times: [Double]) -> [TimelineSample] { times.map { TimelineSample(time: $0, scores: nil) } }
        XCTAssertEqual(SessionReport.start(of: samples([0, 0.25, 0.5]), sampleRate: 4), 0)
        XCTAssertEqual(SessionReport.start(of: samples([0.2, 0.45]), sampleRate: 4), 0, "within one interval of 0")
        XCTAssertEqual(SessionReport.start(of: samples([3.633, 3.9]), sampleRate: 4), 3.633)
        XCTAssertEqual(SessionReport.start(of: samples([]), sampleRate: 4), 0)
    }
}
