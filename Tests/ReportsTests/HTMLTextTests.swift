@testable import Reports
import XCTest

/// Text the HTML page prepares for display.
final class HTMLTextTests: XCTestCase {
    /// Detector settings get a space after each separator outside strings, so the page can wrap them.
    func testSpacedJSON() {
        XCTAssertEqual(HTMLReport.spaced(#"{"a":1,"b":"x,y:\"z,\"","c":[1,2]}"#),
                       #"{"a": 1, "b": "x,y:\"z,\"", "c": [1, 2]}"#)
    }
}
