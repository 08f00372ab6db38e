@testable import Reports
import SessionStore
import XCTest

/// Time-axis labels stay inside the chart: the last tick sits on the plot's right edge (x = 944 of a
/// 960 px wide chart), where a centred `1:00:00` (about 46 px at 11 px) would be cut by the SVG's edge.
final class AxisLabelTests: XCTestCase {
    private func axisLabels(end: Double) -> [String] {
        let svg = TimelineChart(timeline: [], tasks: [], end: end).svg()
        guard let axis = svg.range(of: "<g class=\"axis\">") else { return [] }
        return svg[axis.upperBound...].components(separatedBy: "<text ").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The labels sit 14 units under the axis (y 448 since the others-in-view strip, issue 19).
    func testTheLastLabelOfAnHourIsRightAlignedToItsTick() {
        let labels = axisLabels(end: 3600)
        XCTAssertEqual(labels.first, "x=\"56.0\" y=\"462.0\" text-anchor=\"middle\">0:00")
        XCTAssertEqual(labels.last, "x=\"944.0\" y=\"462.0\" text-anchor=\"end\">1:00:00")
        XCTAssertEqual(labels.filter { $0.contains("\"end\"") }.count, 1)
    }

    /// A short label fits in the 16 px right margin when centred (`0:06`, about 26 px wide).
    func testShortLabelsStayCentred() {
        let labels = axisLabels(end: 6)
        XCTAssertFalse(labels.isEmpty)
        XCTAssertTrue(labels.allSatisfy { $0.contains("text-anchor=\"middle\"") }, "\(labels)")
    }
}
