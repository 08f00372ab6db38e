import XCTest
@testable import emotelab
import TestSupport

final class CLITests: XCTestCase {
    /// The root command names itself `emotelab` and reports its version.
    func testRootConfiguration() {
        XCTAssertEqual(EmoteLab.configuration.commandName, "emotelab")
        XCTAssertEqual(EmoteLab.configuration.version, "0.1.0")
    }
}

final class CLIEndToEndTests: XCTestCase {
    /// `emotelab --version` runs the real binary and prints the version.
    func testVersionFlag() throws {
        let result = try CommandRunner.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
    }
}
