import EmotionModel
import NeuralNet
import XCTest
import Training
import TestSupport

/// Bad input to `train`, `distill` and `evaluate`: one `error:` line naming the file and the problem,
/// exit status 1, and no file written or changed.
final class TrainingCLIBadInputTests: XCTestCase {
    let mini = TestPaths.ferMini.path

    /// Runs `emotelab ARGS` and checks that it fails with exactly `message` and leaves `dir` as it was.
    private func expectFailure(_ arguments: [String], _ message: String, unchanged dir: URL,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try snapshot(dir)
        let result = try CommandRunner.run(arguments)
        XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr, "error: \(message)\n", file: file, line: line)
        XCTAssertEqual(try snapshot(dir), before, "files changed", file: file, line: line)
    }

    private func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try? Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    private func trainArgs(_ dir: URL, data: String? = nil) -> [String] {
        ["train", "--data", data ?? mini, "--arch", "C", "--epochs", "1", "--batch-size", "32", "--threads", "2",
         "--out", dir.appendingPathComponent("out.safetensors").path]
    }

    func testBadData() throws {
        let missingModel = TestPaths.temporaryDirectory().appendingPathComponent("none.safetensors").path
        try expectFailure(["evaluate", "--model", missingModel, "--data", mini],
                          "\(missingModel): no such model file (and not a shipped model name: A, B, C, default)",
                          unchanged: TestPaths.temporaryDirectory())
        let dir = TestPaths.temporaryDirectory()
        let missing = dir.appendingPathComponent("nowhere").path
        try expectFailure(trainArgs(dir, data: missing), "\(missing): no such data directory or CSV file", unchanged: dir)

        let empty = TestPaths.temporaryDirectory()
        try expectFailure(trainArgs(dir, data: empty.path),
                          "\(empty.path): the data directory is empty (expected <data>/<split>/<class>/*.jpg, "
                          + "e.g. train/happy/001.jpg)", unchanged: dir)

        let unknown = TestPaths.temporaryDirectory()
        try FileManager.default.createDirectory(at: unknown.appendingPathComponent("train/contempt"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestPaths.ferMini.appendingPathComponent("train/happy/Training_10019449.jpg"),
                                         to: unknown.appendingPathComponent("train/contempt/a.jpg"))
        try expectFailure(trainArgs(dir, data: unknown.path),
                          "\(unknown.path)/train/contempt: unknown class folder 'contempt' (classes: angry, disgust, "
                          + "fear, happy, neutral, sad, surprise; synonyms such as anger, happiness, sadness, surprised "
                          + "are accepted)", unchanged: dir)

        let csv = TestPaths.temporaryDirectory().appendingPathComponent("fer.csv")
        try Data("emotion,pixels,Usage\n0,1 2 3 4,Training\n9,1 2 3 4,Training\n".utf8).write(to: csv)
        try expectFailure(trainArgs(dir, data: csv.path), "\(csv.path):3: emotion must be an integer 0...6, found '9'",
                          unchanged: dir)
        let model = TestPaths.temporaryDirectory().appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: model)
        try expectFailure(["evaluate", "--model", model.path, "--data", csv.path], "\(csv.path):3: emotion must be an integer 0...6, found '9'",
                          unchanged: dir)
    }

    /// An output that exists, or a checkpoint that exists, is never replaced without --overwrite / --resume.
    func testNothingOverwritten() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("out.safetensors")
        try Data("precious".utf8).write(to: out)
        try expectFailure(trainArgs(dir), "\(out.path): exists; pass --overwrite to replace it", unchanged: dir)
        let checkpoint = dir.appendingPathComponent("out.checkpoint.safetensors")
        try Data("old".utf8).write(to: checkpoint)
        try expectFailure(trainArgs(dir), "\(checkpoint.path): a checkpoint exists: continue it with --resume, or "
                          + "start afresh with --overwrite", unchanged: dir)
        try expectFailure(trainArgs(dir) + ["--resume"],
                          "\(checkpoint.path): not a safetensors file (only 3 bytes)", unchanged: dir)
    }

    /// `average`: fewer than two models, models of different architectures, an existing --out and an --out
    /// that is one of the models are refused, and nothing is written.
    func testAverageRefusals() throws {
        let dir = TestPaths.temporaryDirectory()
        let c = dir.appendingPathComponent("c.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        try TestModels.constant(.happy, at: c)
        let network = ResEmoteNet(width: .B)
        try ModelFile.save(network, metadata: ModelMetadata(architecture: network.architecture, mean: [0], std: [1]), to: b)
        let out = dir.appendingPathComponent("soup.safetensors").path
        let one = try CommandRunner.run(["average", c.path, "--out", out])
        XCTAssertEqual(one.status, 64)
        XCTAssertTrue(one.stderr.hasPrefix("Error: give at least two models to average (1 given)\n"), one.stderr)
        try expectFailure(["average", c.path, b.path, "--out", out],
                          "\(b.path): architecture B differs from \(c.path)'s C; only models of one architecture and "
                          + "preprocessing can be averaged", unchanged: dir)
        try expectFailure(["average", c.path, c.path, "--out", c.path],
                          "\(c.path): is one of the models being averaged (c.safetensors); write the average to another file",
                          unchanged: dir)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: out))
        try expectFailure(["average", c.path, c.path, "--out", out], "\(out): exists; pass --overwrite to replace it",
                          unchanged: dir)
    }

    /// --resume with a checkpoint of other settings, of other data, or a file that is not a checkpoint.
    func testIncompatibleCheckpoint() throws {
        let dir = TestPaths.temporaryDirectory()
        let first = try CommandRunner.run(trainArgs(dir) + ["--epochs", "2"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let checkpoint = dir.appendingPathComponent("out.checkpoint.safetensors").path
        try expectFailure(trainArgs(dir) + ["--epochs", "2", "--lr", "0.1", "--resume"],
                          "\(checkpoint): checkpoint was made with other settings: --lr 0.01 in the checkpoint, 0.1 now "
                          + "(rerun the original command with --resume, or start afresh with --overwrite)", unchanged: dir)
        try expectFailure(trainArgs(dir) + ["--epochs", "2", "--arch", "B", "--resume"],
                          "\(checkpoint): checkpoint was made with other settings: arch C in the checkpoint, B now "
                          + "(rerun the original command with --resume, or start afresh with --overwrite)", unchanged: dir)
        let other = TestPaths.temporaryDirectory()
        try FileManager.default.copyItem(at: TestPaths.ferMini.appendingPathComponent("train"),
                                         to: other.appendingPathComponent("train"))
        // With its val split too: a missing val split is a warning, and warnings go to standard error.
        try FileManager.default.copyItem(at: TestPaths.ferMini.appendingPathComponent("val"),
                                         to: other.appendingPathComponent("val"))
        try FileManager.default.removeItem(at: other.appendingPathComponent("train/angry/Training_10118481.jpg"))
        try expectFailure(trainArgs(dir, data: other.path) + ["--epochs", "2", "--resume"],
                          "\(checkpoint): checkpoint was made on other data (140 train / 70 val images, now 139 / 70, "
                          + "or the same counts with other pixels or labels)", unchanged: dir)
        let model = dir.appendingPathComponent("out.safetensors").path
        try expectFailure(trainArgs(dir) + ["--epochs", "2", "--checkpoint", model, "--resume"],
                          "\(model): --out and --checkpoint must be different files", unchanged: dir)
        let copy = dir.appendingPathComponent("model-copy.safetensors")
        try FileManager.default.copyItem(atPath: model, toPath: copy.path)
        try expectFailure(trainArgs(dir) + ["--epochs", "2", "--checkpoint", copy.path, "--resume"],
                          "\(copy.path): not an EmoteLab training checkpoint (no 'emotelab-training-checkpoint-1' format tag)",
                          unchanged: dir)
    }

    /// `evaluate --output` replaces an existing file only with --overwrite, and never the model it evaluates
    /// (whatever the spelling of its path) or the --data CSV.
    func testEvaluateOutputNeverReplacesTheModel() throws {
        let dir = TestPaths.temporaryDirectory()
        let model = dir.appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: model)
        let other = dir.appendingPathComponent("c1.safetensors")
        try FileManager.default.copyItem(at: model, to: other)
        func evaluate(_ output: String) -> [String] {
            ["evaluate", "--model", model.path, "--data", mini, "--format", "json", "--output", output]
        }
        try expectFailure(evaluate(other.path), "\(other.path): exists; pass --overwrite to replace it", unchanged: dir)
        try expectFailure(evaluate(model.path) + ["--overwrite"],
                          "\(model.path) is the model being evaluated; choose another file name for the report",
                          unchanged: dir)
        let dotted = dir.path + "/./happy.safetensors"
        try expectFailure(evaluate(dotted) + ["--overwrite"],
                          "\(dotted) is the model being evaluated; choose another file name for the report", unchanged: dir)
        let csv = dir.appendingPathComponent("fer.csv")
        try Data("emotion,pixels,Usage\n3,\(Array(repeating: "7", count: 2304).joined(separator: " ")),PublicTest\n".utf8)
            .write(to: csv)
        try expectFailure(["evaluate", "--model", model.path, "--data", csv.path, "--output", csv.path, "--overwrite"],
                          "\(csv.path) is the --data file; choose another file name for the report", unchanged: dir)
        // With --overwrite another existing file is replaced by the report (the happy model: 1 image, right).
        let replaced = try CommandRunner.run(["evaluate", "--model", model.path, "--data", csv.path, "--format", "json",
                                              "--output", other.path, "--overwrite"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: other)) as? [String: Any])
        XCTAssertEqual(json["images"] as? Int, 1)
        XCTAssertEqual(json["accuracy"] as? Double, 1)
    }

    /// An --out or --checkpoint location that cannot be written is refused before the data is loaded
    /// (nothing on standard output), in one line naming the option and the reason.
    func testUnwritableLocationsRefusedUpFront() throws {
        let dir = TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("c1.safetensors")
        try Data("model".utf8).write(to: file)
        let cases: [([String], String)] = [
            (["--out", "/sys/x.safetensors"], "/sys/x.safetensors: --out: the folder /sys is not writable"),
            (["--checkpoint", "/sys/x.checkpoint.safetensors"],
             "/sys/x.checkpoint.safetensors: --checkpoint: the folder /sys is not writable"),
            (["--out", file.path + "/x.safetensors"], "\(file.path)/x.safetensors: --out: \(file.path) is a file, not a folder"),
            (["--out", dir.path + "/none/x.safetensors"],
             "\(dir.path)/none/x.safetensors: --out: the folder \(dir.path)/none does not exist"),
        ]
        for (arguments, message) in cases {
            try expectFailure(trainArgs(dir) + arguments, message, unchanged: dir)
            let distill = ["distill", "--teacher", "C", "--student", "C", "--data", mini, "--epochs", "1",
                           "--out", dir.appendingPathComponent("s.safetensors").path] + arguments
            try expectFailure(distill, message, unchanged: dir)
            XCTAssertEqual(try CommandRunner.run(trainArgs(dir) + arguments).stdout, "", "no data loaded")
        }
    }

    /// A --val-split the user names must exist and differ from --train-split; a missing default `val` only
    /// warns. On a CSV, a missing split lists the splits the file has.
    func testSplits() throws {
        let dir = TestPaths.temporaryDirectory()
        try expectFailure(trainArgs(dir) + ["--val-split", "validation"],
                          "\(mini): no 'validation' split folder (found: train, val)", unchanged: dir)
        try expectFailure(trainArgs(dir) + ["--train-split", "val", "--val-split", "val"],
                          "--train-split and --val-split are both 'val': validation needs images the model does not "
                          + "train on (--val-split none trains without validation)", unchanged: dir)
        try expectFailure(trainArgs(dir) + ["--val-split", "train"],
                          "--train-split and --val-split are both 'train': validation needs images the model does not "
                          + "train on (--val-split none trains without validation)", unchanged: dir)

        let csv = TestPaths.temporaryDirectory().appendingPathComponent("fer.csv")
        let pixels = Array(repeating: "7", count: 2304).joined(separator: " ")
        try Data(("emotion,pixels,Usage\n" + String(repeating: "3,\(pixels),Training\n", count: 3)
                  + "0,\(pixels),PublicTest\n").utf8).write(to: csv)
        let model = TestPaths.temporaryDirectory().appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: model)
        try expectFailure(["evaluate", "--model", model.path, "--data", csv.path, "--split", "PublicTest"],
                          "\(csv.path): no rows in split 'PublicTest'; the CSV's splits are train (Usage Training, "
                          + "3 rows), val (Usage PublicTest, 1 row)", unchanged: dir)
        try expectFailure(trainArgs(dir, data: csv.path) + ["--val-split", "test"],
                          "\(csv.path): no rows in split 'test' (Usage PrivateTest); the CSV's splits are train (Usage "
                          + "Training, 3 rows), val (Usage PublicTest, 1 row)", unchanged: dir)

        // Only a train folder, and the default val: a warning, and the run trains without validation.
        let data = TestPaths.temporaryDirectory()
        for label in ["angry", "happy"] {
            let source = TestPaths.ferMini.appendingPathComponent("train/\(label)")
            let target = data.appendingPathComponent("train/\(label)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(4) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
        }
        let run = try CommandRunner.run(trainArgs(dir, data: data.path) + ["--batch-size", "4"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // Warnings go to standard error, as evaluate's do (issue 22); the epoch lines stay on standard output.
        XCTAssertTrue(run.stderr.contains("warning: \(data.path) has no 'val' split: training without validation"),
                      run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: no disgust images in the train split"), run.stderr)
        XCTAssertFalse(run.stdout.contains("warning:"), run.stdout)
        XCTAssertTrue(run.stdout.contains("no validation split: kept the last epoch"), run.stdout)
    }

    /// A teacher with another class count is refused; one listing our classes in another order is remapped,
    /// and distilling from it gives the same student weights as from the same teacher in our order.
    func testTeacherClasses() throws {
        let dir = TestPaths.temporaryDirectory()
        let eight = dir.appendingPathComponent("eight.safetensors")
        let network = ResEmoteNet(architecture: ResEmoteNetArchitecture(width: .C, classes: 8), seed: 1)
        try ModelFile.save(network, metadata: ModelMetadata(architecture: network.architecture,
                                                            labels: EmotionLabel.names + ["contempt"]), to: eight)
        func distill(_ teacher: URL, _ out: String) -> [String] {
            ["distill", "--teacher", teacher.path, "--student", "C", "--data", mini, "--epochs", "1", "--batch-size", "32",
             "--threads", "2", "--out", dir.appendingPathComponent(out).path]
        }
        try expectFailure(distill(eight, "s.safetensors"),
                          "--teacher: \(eight.path): labels angry,disgust,fear,happy,neutral,sad,surprise,contempt are "
                          + "not the seven classes angry,disgust,fear,happy,neutral,sad,surprise", unchanged: dir)

        // The same teacher written twice: in our order, and in FER2013's order with fc4's rows permuted to match.
        let teacher = ResEmoteNet(width: .C, seed: 4)
        let ours = dir.appendingPathComponent("ours.safetensors")
        try ModelFile.save(teacher, metadata: ModelMetadata(architecture: teacher.architecture), to: ours)
        let ferOrder = FER2013CSV.labelNames
        var state = teacher.stateDict()
        for name in ["fc4.weight", "fc4.bias"] {
            let t = state[name]!, row = t.count / 7
            var storage: [Float] = []
            for label in ferOrder { let i = EmotionLabel.names.firstIndex(of: label)!; storage += t.storage[i * row..<(i + 1) * row] }
            state[name] = Tensor(shape: t.shape, storage: storage)
        }
        let reordered = dir.appendingPathComponent("fer-order.safetensors")
        var metadata = ModelMetadata(architecture: teacher.architecture, labels: ferOrder).encoded
        metadata["labels"] = ferOrder.joined(separator: ",")
        try SafetensorsFile(tensors: state, metadata: metadata).write(to: reordered)

        for (teacherFile, out) in [(ours, "a.safetensors"), (reordered, "b.safetensors")] {
            let result = try CommandRunner.run(distill(teacherFile, out))
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let a = try SafetensorsFile(contentsOf: dir.appendingPathComponent("a.safetensors"))
        let b = try SafetensorsFile(contentsOf: dir.appendingPathComponent("b.safetensors"))
        XCTAssertEqual(a.tensors, b.tensors)
    }
}
