import Evidence
import Reports
import XCTest

final class ClipPlannerTests: XCTestCase {
    private func moment(_ kind: MomentKind, _ time: Double, _ end: Double? = nil) -> Moment {
        Moment(kind: kind, taskIndex: 0, taskName: "T", rank: 1, time: time, end: end ?? time, emotion: .sad, score: -0.5)
    }

    func testSpansAreCentredAndKeptInsideTheRecording() {
        XCTAssertTrue(ClipPlanner.span(of: moment(.negative, 20), length: 6, duration: 60) == (17, 23))
        XCTAssertTrue(ClipPlanner.span(of: moment(.negative, 1), length: 6, duration: 60) == (0, 6))
        XCTAssertTrue(ClipPlanner.span(of: moment(.positive, 9), length: 6, duration: 10) == (4, 10))
        XCTAssertTrue(ClipPlanner.span(of: moment(.positive, 1), length: 6, duration: 4) == (0, 4))
    }

    func testStretchSpansCoverTheStretchWithASecondEachSide() {
        XCTAssertTrue(ClipPlanner.span(of: moment(.stretch, 20.75, 25.5), length: 6, duration: nil) == (19.75, 26.5))
        // Shorter than the clip length: centred on the stretch.
        XCTAssertTrue(ClipPlanner.span(of: moment(.stretch, 10, 12), length: 6, duration: nil) == (8, 14))
        // Longer than 30 s: its first 30 s from a second before it.
        XCTAssertTrue(ClipPlanner.span(of: moment(.stretch, 100, 200), length: 6, duration: nil) == (99, 129))
    }

    func testFileNamesSortInReelOrder() {
        XCTAssertEqual(ClipPlanner.baseName(taskNumber: 3, taskName: "Add to cart, then checkout", sessionID: nil,
                                            kind: .negative, rank: 1), "task03-add-to-cart-then-checkout-negative-1")
        XCTAssertEqual(ClipPlanner.baseName(taskNumber: 12, taskName: "../Café ★ déjà", sessionID: 7, kind: .stretch, rank: 2),
                       "task12-cafe-deja-s7-stretch-2")
        XCTAssertEqual(ClipPlanner.baseName(taskNumber: 1, taskName: "★", sessionID: nil, kind: .positive, rank: 1),
                       "task01-positive-1")
    }
}
