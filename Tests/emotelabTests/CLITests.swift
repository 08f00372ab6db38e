import XCTest
@testable import emotelab

final class CLITests: XCTestCase {
    /// The root command names itself `emotelab` and reports its version.
    func testRootConfiguration() {
        XCTAssertEqual(EmoteLab.configuration.commandName, "emotelab")
        XCTAssertEqual(EmoteLab.configuration.version, "0.1.0")
    }
}
