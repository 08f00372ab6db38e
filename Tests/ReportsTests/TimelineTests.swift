import Reports
import SessionStore
import XCTest

final class TimelineTests: XCTestCase {
    func testRowsWithoutSmoothingKeepTheSamples() {
        let rows = TimelineSmoother.rows(HandMadeSession.timeline)
        XCTAssertEqual(rows.count, 10)
        XCTAssertEqual(rows[0].probabilities, [0.10, 0.00, 0.00, 0.60, 0.20, 0.10, 0.00])
        XCTAssertEqual(rows[0].dominant, .happy)
        XCTAssertEqual(rows[0].valence ?? .nan, 0.5, accuracy: 1e-12)
        // t = 1: no participant face, one other face (HandMadeSession's `others`).
        XCTAssertEqual(rows[2], TimelineRow(time: 1, face: false, probabilities: nil, dominant: nil, valence: nil,
                                            faces: 1, others: 1))
        XCTAssertEqual(TimelineSmoother.rows(HandMadeSession.timeline, from: 1.5, to: 4).map(\.time), [1.5, 2, 2.5, 3, 3.5, 4])
    }

    /// Bounds compare with the times as printed (3 decimals): copying a shown `t` selects its row.
    func testRangeBoundsMatchThePrintedTimes() {
        let samples = [0.26667, 0.5, 2.527, 2.777018].map { TimelineSample(time: $0, scores: nil) }
        XCTAssertEqual(TimelineSmoother.rows(samples, from: 0.267, to: 0.5).map(\.time), [0.26667, 0.5])
        XCTAssertEqual(TimelineSmoother.rows(samples, from: 2.527, to: 2.777).map(\.time), [2.527, 2.777018])
        XCTAssertEqual(TimelineSmoother.rows(samples, from: 0.2675, to: 2.7765).map(\.time), [0.5, 2.527])
    }

    /// A centred 1-second window covers face samples within ±0.5 s.
    func testCentredMovingAverageOverFaceSamples() throws {
        let rows = TimelineSmoother.rows(HandMadeSession.timeline, window: 1)
        // t = 0: faces at 0 and 0.5 → happy (.6 + .2)/2 = .4, neutral (.2 + .5)/2 = .35, valence (.5 + 0)/2 = .25.
        XCTAssertEqual(rows[0].probabilities?[Emotion.happy.rawValue] ?? .nan, 0.4, accuracy: 1e-12)
        XCTAssertEqual(rows[0].probabilities?[Emotion.neutral.rawValue] ?? .nan, 0.35, accuracy: 1e-12)
        XCTAssertEqual(rows[0].valence ?? .nan, 0.25, accuracy: 1e-12)
        XCTAssertEqual(rows[0].dominant, .happy)
        // t = 0.5: faces at 0, 0.5 (1.0 has none) → the same means.
        XCTAssertEqual(rows[1].valence ?? .nan, 0.25, accuracy: 1e-12)
        // t = 1.0: no face, stays empty.
        XCTAssertNil(rows[2].probabilities)
        // t = 1.5: only itself within [1.0, 2.0] → unchanged, valence −.4, dominant angry.
        XCTAssertEqual(rows[3].valence ?? .nan, -0.4, accuracy: 1e-12)
        XCTAssertEqual(rows[3].dominant, .angry)
        // A 3-second window at t = 1.5 covers 0, 0.5, 1.5: valence (.5 + 0 − .4)/3.
        let wide = TimelineSmoother.rows(HandMadeSession.timeline, window: 3)
        XCTAssertEqual(wide[3].valence ?? .nan, 0.1 / 3, accuracy: 1e-12)
        // Cutting the range does not change the values inside it.
        XCTAssertEqual(TimelineSmoother.rows(HandMadeSession.timeline, window: 3, from: 1.5, to: 1.5), [wide[3]])
    }

    func testFormats() throws {
        let rows = Array(TimelineSmoother.rows(HandMadeSession.timeline).prefix(3))
        XCTAssertEqual(TimelineFormat.csv.render(rows), """
            t,face,angry,disgust,fear,happy,neutral,sad,surprise,dominant,valence,faces,others\r
            0.000,1,0.1000,0.0000,0.0000,0.6000,0.2000,0.1000,0.0000,happy,0.5000,1,0\r
            0.500,1,0.0000,0.0000,0.1000,0.2000,0.5000,0.2000,0.0000,neutral,0.0000,1,0\r
            1.000,0,,,,,,,,,,1,1\r

            """)
        XCTAssertEqual(TimelineFormat.table.render(Array(rows.suffix(1))), """
                t  face  angry  disgust  fear  happy  neutral  sad  surprise  dominant  valence  faces  others
            1.000     0      -        -     -      -        -    -         -         -        -      1       1

            """)
        let json = TimelineFormat.json.render(rows)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 3)
        XCTAssertEqual(parsed[0]["dominant"] as? String, "happy")
        XCTAssertEqual(parsed[0]["face"] as? Bool, true)
        XCTAssertEqual((parsed[0]["happy"] as? NSNumber)?.doubleValue, 0.6)
        XCTAssertTrue(parsed[2]["valence"] is NSNull)
        XCTAssertEqual(parsed.map { ($0["faces"] as? NSNumber)?.intValue }, [1, 1, 1])
        XCTAssertEqual(parsed.map { ($0["others"] as? NSNumber)?.intValue }, [0, 0, 1])
        XCTAssertEqual(TimelineFormat.json.render([]), "[]\n")
    }
}
