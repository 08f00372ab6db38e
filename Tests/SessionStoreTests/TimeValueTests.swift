import SessionStore
import XCTest

final class TimeValueTests: XCTestCase {
    func testAcceptedForms() {
        let cases: [(String, Double)] = [
            ("0", 0), ("75", 75), ("75.5", 75.5), (" 12.250 ", 12.25),
            ("1:15", 75), ("01:15.5", 75.5), ("0:00.001", 0.001),
            ("1:01:15", 3675), ("01:02:03.250", 3723.25), ("90:00", 5400),
        ]
        for (text, seconds) in cases {
            XCTAssertEqual(TimeValue.seconds(text), seconds, text)
        }
    }

    func testRejectedForms() {
        for text in ["", "-1", "+3", "1e3", "inf", "nan", "1.", ".5", "1:5", "1:60", "1:75:00", "1::00", ":30",
                     "1:2:3:4", "1,5", "12 s", "٣"] {
            XCTAssertNil(TimeValue.seconds(text), text)
        }
    }

    func testClock() {
        XCTAssertEqual(TimeValue.clock(75.5), "1:15.500")
        XCTAssertEqual(TimeValue.clock(3725), "1:02:05.000")
        XCTAssertEqual(TimeValue.clock(0.0004), "0:00.000")
        XCTAssertEqual(TimeValue.clock(1e20), "1e+20 s")
        XCTAssertEqual(TimeValue.clock(.infinity), "inf s")
    }
}
