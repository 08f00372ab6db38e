import XCTest
import Training
import TestSupport

/// The up-front checks of an output location and the atomic write, with their one-line reasons.
final class OutputLocationTests: XCTestCase {
    func testProblems() throws {
        let dir = TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("c1.safetensors")
        try Data("model".utf8).write(to: file)
        XCTAssertNil(OutputLocation.problem(creating: dir.appendingPathComponent("new.safetensors").path))
        XCTAssertNil(OutputLocation.problem(creating: file.path), "an existing file can be replaced")
        XCTAssertEqual(OutputLocation.problem(creating: dir.path), "it is a folder")
        XCTAssertEqual(OutputLocation.problem(creating: file.path + "/x.safetensors"), "\(file.path) is a file, not a folder")
        XCTAssertEqual(OutputLocation.problem(creating: file.path + "/sub/x.safetensors"),
                       "\(file.path) is a file, not a folder")
        XCTAssertEqual(OutputLocation.problem(creating: dir.path + "/none/x.safetensors"),
                       "the folder \(dir.path)/none does not exist")
        // Even root cannot create files in /sys, although access(2) says it may.
        XCTAssertEqual(OutputLocation.problem(creating: "/sys/x.safetensors"), "the folder /sys is not writable")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["c1.safetensors"],
                       "the write probes leave nothing behind")
    }

    func testSaveReplacesAtomicallyAndFailsInOneLine() throws {
        let dir = TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("m.safetensors")
        try Data("old".utf8).write(to: file)
        try OutputLocation.save(Data("new".utf8), to: file, what: "the model")
        XCTAssertEqual(try Data(contentsOf: file), Data("new".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["m.safetensors"])
        XCTAssertThrowsError(try OutputLocation.save(Data(), to: URL(fileURLWithPath: "/sys/x.checkpoint.safetensors"),
                                                     what: "the checkpoint")) { error in
            XCTAssertEqual("\(error)", "/sys/x.checkpoint.safetensors: cannot write the checkpoint (Permission denied)")
        }
        let missing = dir.appendingPathComponent("gone/m.safetensors")
        XCTAssertThrowsError(try OutputLocation.save(Data(), to: missing, what: "the model")) { error in
            XCTAssertEqual("\(error)", "\(missing.path): cannot write the model (No such file or directory)")
        }
    }
}
