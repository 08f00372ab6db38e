import Reports
import SessionStore
import XCTest

final class MomentFinderTests: XCTestCase {
    /// angry, disgust, fear, happy, neutral, sad, surprise
    static let calm = EmotionScores([0.01, 0.01, 0.01, 0.01, 0.94, 0.01, 0.01])!
    static func sad(_ p: Double) -> EmotionScores { EmotionScores([0.01, 0.01, 0.01, 0.01, 0.94 - p + 0.01, p, 0.01])! }
    static let fullySad = EmotionScores([0, 0, 0, 0, 0, 1, 0] as [Double])!
    static let pleased = EmotionScores([0.01, 0.01, 0.01, 0.8, 0.14, 0.01, 0.01])!

    /// 4 samples per second over [0, seconds); `scores` gives each time's scores (nil: no face).
    private func timeline(_ seconds: Double = 30, _ scores: (Double) -> EmotionScores?) -> [TimelineSample] {
        (0..<Int(seconds * 4)).map { i in TimelineSample(time: Double(i) / 4, scores: scores(Double(i) / 4)) }
    }

    private func options(_ kinds: [MomentKind], perTask: Int = 1) -> MomentOptions {
        var options = MomentOptions()
        options.kinds = kinds
        options.perTask = perTask
        return options
    }

    func testOneNoisySampleIsNotTheStrongestMoment() {
        // One sample fully sad at 5 s (raw valence −1); a sustained sad 0.6 over [20, 22] (raw −0.59).
        let samples = timeline { t in t == 5 ? Self.fullySad : (20...22).contains(t) ? Self.sad(0.6) : Self.calm }
        let moments = MomentFinder.moments(timeline: samples, tasks: [], options: options([.negative]))
        XCTAssertEqual(moments.count, 1)
        // Smoothed over ±1 s the only time whose 9 samples are all sustained is 21 s: valence 0.01 − 0.6.
        XCTAssertEqual(moments[0].time, 21)
        XCTAssertEqual(moments[0].score, -0.59, accuracy: 1e-12)
        XCTAssertEqual(moments[0].emotion, .sad)
        XCTAssertEqual(moments[0].taskName, MomentFinder.wholeSession)
    }

    func testALoneFaceSampleBetweenLooksAwayIsNeverAMoment() {
        // Faces only at 10 s (fully sad) and calm from 20 s: the sad sample is averaged alone.
        let samples = timeline { t in t == 10 ? Self.fullySad : t >= 20 ? Self.calm : nil }
        let moments = MomentFinder.moments(timeline: samples, tasks: [], options: options([.negative], perTask: 5))
        XCTAssertTrue(moments.isEmpty, "\(moments)")
    }

    func testMomentsOfATaskAreSeparatedByTheClipLength() {
        // Sad 0.6 over [18, 24] (valence −0.59 wherever the window is inside it, first at 19 s) and sad 0.5
        // over [8, 10] (−0.49 at 9 s): the second moment may not be within 6 s of the first.
        let samples = timeline { t in (18...24).contains(t) ? Self.sad(0.6) : (8...10).contains(t) ? Self.sad(0.5) : Self.calm }
        let moments = MomentFinder.moments(timeline: samples, tasks: [], options: options([.negative], perTask: 2))
        XCTAssertEqual(moments.map(\.time), [19, 9])
        XCTAssertEqual(moments.map(\.rank), [1, 2])
        XCTAssertEqual(moments[1].score, 0.01 - 0.5, accuracy: 1e-12)
    }

    func testMomentsArePerTaskAndPositiveNeedsPositiveValence() {
        // Task A [0, 15) is calm (valence 0: neither negative nor positive); task B [15, 30) pleased at [24, 27].
        let samples = timeline { t in (24...27).contains(t) ? Self.pleased : Self.calm }
        let tasks = [TaskSegment(name: "A", start: 0, end: 15), TaskSegment(name: "B", start: 15, end: 30)]
        let moments = MomentFinder.moments(timeline: samples, tasks: tasks, options: options([.negative, .positive]))
        XCTAssertEqual(moments.count, 1)
        XCTAssertEqual(moments[0].kind, .positive)
        XCTAssertEqual(moments[0].taskIndex, 1)
        XCTAssertEqual(moments[0].taskName, "B")
        XCTAssertEqual(moments[0].time, 25)            // first time whose ±1 s window is all pleased
        XCTAssertEqual(moments[0].score, 0.8 - 0.01, accuracy: 1e-12)
        XCTAssertEqual(moments[0].emotion, .happy)
    }

    func testLongestStretchAboveTheThreshold() {
        // Sad 0.6 over [20, 26]. Smoothed (±1 s), sad reaches 0.5 from 20.75 s ((8 × 0.6 + 0.01) / 9 = 0.5344)
        // to 25.25 s; 21…25 s are 0.6. The stretch ends one sampling interval after its last sample.
        let samples = timeline { t in (20...26).contains(t) ? Self.sad(0.6) : Self.calm }
        let moments = MomentFinder.moments(timeline: samples, tasks: [], options: options([.stretch]))
        XCTAssertEqual(moments.count, 1)
        XCTAssertEqual(moments[0].emotion, .sad)
        XCTAssertEqual(moments[0].time, 20.75)
        XCTAssertEqual(moments[0].end, 25.5)
        XCTAssertEqual(moments[0].score, (2 * (4.81 / 9) + 17 * 0.6) / 19, accuracy: 1e-9)
    }

    /// Frames sampled at a recording's own frame times jitter: the sample due at 22 s landing at 22.15 s leaves
    /// gaps of 0.40 s (1.6 intervals) and 0.10 s, and the stretch of the test above is still one, with the
    /// same start and end. Samples missing for 0.75 s (three intervals: time not sampled) cut it in two.
    func testJitteredSamplesStayOneStretchAndUnsampledTimeCutsIt() {
        let jittered = timeline { t in (20...26).contains(t) ? Self.sad(0.6) : Self.calm }
            .map { $0.time == 22 ? TimelineSample(time: 22.15, scores: $0.scores) : $0 }
        let one = MomentFinder.moments(timeline: jittered, tasks: [], options: options([.stretch], perTask: 3))
        XCTAssertEqual(one.count, 1, "\(one)")
        XCTAssertEqual(one.first?.time, 20.75)
        XCTAssertEqual(one.first?.end, 25.5)

        let holed = timeline { t in (20...26).contains(t) ? Self.sad(0.6) : Self.calm }
            .filter { !(22.25...22.75).contains($0.time) }
        let two = MomentFinder.moments(timeline: holed, tasks: [], options: options([.stretch], perTask: 3))
        XCTAssertEqual(two.count, 2, "\(two)")
        XCTAssertEqual(two.map(\.time).sorted(), [20.75, 23])
    }

    func testStretchesBelowTheThresholdOrTooShortAreNotReported() {
        let samples = timeline { t in (20...26).contains(t) ? Self.sad(0.6) : Self.calm }
        var high = options([.stretch])
        high.threshold = 0.61
        XCTAssertTrue(MomentFinder.moments(timeline: samples, tasks: [], options: high).isEmpty)
        var long = options([.stretch])
        long.minimumStretch = 5
        XCTAssertTrue(MomentFinder.moments(timeline: samples, tasks: [], options: long).isEmpty)
    }
}
