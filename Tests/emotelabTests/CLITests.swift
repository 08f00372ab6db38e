import EmotionModel
import Training
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
    /// `emotelab --version` runs the real binary and prints the version, then the shipped models with the
    /// validation accuracy of their training summaries (as `emotelab models` reads them), then FFmpeg and
    /// OpenBLAS.
    func testVersionFlag() throws {
        let result = try CommandRunner.run(["--version"], environment: ["EMOTELAB_MODELS": ""])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "emotelab 0.1.0")
        XCTAssertEqual(lines.count, 2 + ModelCatalog.shippedModels().count + 2, result.stdout)
        XCTAssertEqual(lines[1], "models (\(ModelCatalog.modelsDirectory.path)):")
        for (index, entry) in ModelCatalog.shippedModels().enumerated() {
            let summary = try ModelSummary(name: entry.name, url: entry.url)
            let accuracy = try XCTUnwrap(summary.valAccuracy)
            XCTAssertTrue(lines[2 + index].hasPrefix("  \(entry.name)\(summary.isDefault ? " (default)" : ""): architecture \(summary.architecture),"),
                          lines[2 + index])
            XCTAssertTrue(lines[2 + index].hasSuffix(String(format: "validation accuracy %.2f %% (training)", accuracy * 100)), lines[2 + index])
        }
        XCTAssertTrue(lines[lines.count - 2].hasPrefix("FFmpeg ") && lines[lines.count - 2].contains("libavformat "), result.stdout)
        XCTAssertTrue(lines[lines.count - 1].hasPrefix("OpenBLAS "), result.stdout)
    }
}
