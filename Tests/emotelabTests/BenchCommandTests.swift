import XCTest
import TestSupport

/// `emotelab bench` end to end (tiny runs: correctness of the report, not speed).
final class BenchCommandTests: XCTestCase {
    private func json(_ result: CommandResult, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], file: file, line: line)
    }

    func testInferenceJSONWithFreshWeights() throws {
        let dir = TestPaths.temporaryDirectory("bench-empty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try json(CommandRunner.run(["bench", "--model", "C", "--batch", "3", "--threads", "1", "--seconds", "0.05", "--format", "json"],
                                             environment: ["EMOTELAB_MODELS": dir.path]))
        XCTAssertEqual(out["model"] as? String, "C")
        XCTAssertEqual(out["mode"] as? String, "inference")
        XCTAssertEqual(out["batch"] as? Int, 3)
        XCTAssertEqual(out["threads"] as? Int, 1)
        XCTAssertEqual(out["parameters"] as? Int, 1_259_767)
        XCTAssertEqual(out["weights"] as? String, "freshly initialised (no trained C model file)")
        XCTAssertGreaterThan(try XCTUnwrap(out["images_per_second"] as? Double), 0)
    }

    func testTrainingTableWithAShippedModelFile() throws {
        let dir = TestPaths.temporaryDirectory("bench-models")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: TestPaths.fixture("nn/golden_c_weights.safetensors"), to: dir.appendingPathComponent("C.safetensors"))
        let result = try CommandRunner.run(["bench", "--model", "c", "--batch", "2", "--train", "--seconds", "0.05"],
                                           environment: ["EMOTELAB_MODELS": dir.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("mode       training step (SGD, cross-entropy)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("weights    \(dir.appendingPathComponent("C.safetensors").path)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("images/s"), result.stdout)
    }

    func testBadArgumentsGiveOneErrorLine() throws {
        let missing = try CommandRunner.run(["bench", "--model", "/nonexistent/m.safetensors", "--seconds", "0.05"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertEqual(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines),
                       "error: /nonexistent/m.safetensors: no such model file (and not a shipped model name: A, B, C, default)")
        let batch = try CommandRunner.run(["bench", "--train", "--batch", "1"])
        XCTAssertNotEqual(batch.status, 0)
        XCTAssertTrue(batch.stderr.contains("--train needs --batch of at least 2"), batch.stderr)
        let dir = TestPaths.temporaryDirectory("bench-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.safetensors")
        try Data("not a model".utf8).write(to: bad)
        let corrupt = try CommandRunner.run(["bench", "--model", bad.path, "--seconds", "0.05"])
        XCTAssertNotEqual(corrupt.status, 0)
        XCTAssertTrue(corrupt.stderr.contains("\(bad.path): header length"), corrupt.stderr)
    }
}
