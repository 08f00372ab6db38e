@testable import Reports
import SessionStore
import XCTest

/// Task labels in the chart never overlap: short adjacent tasks alternate lanes and each label stops at the
/// next label of its lane.
final class BandLabelLayoutTests: XCTestCase {
    private func chart(_ spans: [(String, Double, Double)], end: Double) -> TimelineChart {
        TimelineChart(timeline: [], tasks: spans.map { TaskSegment(name: $0.0, start: $0.1, end: $0.2) }, end: end)
    }

    /// Plot 888 px over 6 s: 148 px per second.
    func testShortAdjacentTasksAlternateLanesAndStopAtTheNextLabel() {
        let c = chart([("Find the search field", 0, 0.4), ("Find the search button", 0.4, 0.9),
                       ("Open results", 0.9, 1.2), ("Open the first result", 1.2, 1.5), ("Rest", 1.5, 6)], end: 6)
        let layout = c.labelLayout()
        XCTAssertEqual(layout.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertEqual(layout.map(\.lane), [0, 1, 0, 1, 0])
        // Task 1 (lane 0) may run to task 3's start (0.9 s), task 2 (lane 1) to task 4's (1.2 s), task 3 to
        // task 5's (1.5 s); tasks 4 and 5 are the last in their lanes and may run to the right edge (x = 944).
        let widths = layout.map { ($0.width * 10).rounded() / 10 }
        XCTAssertEqual(widths, [133.2, 118.4, 88.8, 710.4, 666])
        assertNoOverlap(c)
    }

    /// Overlapping tasks, and more tasks starting close together than there are lanes: labels are cut
    /// short instead of overlapping.
    func testOverlappingAndCrowdedTasks() {
        assertNoOverlap(chart([("a long task name", 0, 4), ("another long name", 1, 3), ("third", 2, 5)], end: 6))
        let crowded = chart((0..<6).map { ("task number \($0)", Double($0) * 0.1, 6) }, end: 6)
        XCTAssertEqual(crowded.labelLayout().map(\.lane), [0, 1, 0, 1, 0, 1])
        assertNoOverlap(crowded)
    }

    private func assertNoOverlap(_ c: TimelineChart, file: StaticString = #filePath, line: UInt = #line) {
        let layout = c.labelLayout()
        for a in layout {
            let text = TimelineChart.fit("\(a.index + 1). \(c.tasks[a.index].name)", width: a.width - 6,
                                         fallback: "\(a.index + 1)")
            XCTAssertFalse(text.isEmpty, "label \(a.index) dropped", file: file, line: line)
            let aEnd = c.x(c.tasks[a.index].start) + 3 + TimelineChart.textWidth(text)
            for b in layout where b.lane == a.lane && c.tasks[b.index].start > c.tasks[a.index].start {
                XCTAssertLessThanOrEqual(aEnd, c.x(c.tasks[b.index].start) + 0.001, "labels \(a.index) and \(b.index)",
                                         file: file, line: line)
            }
        }
    }
}
