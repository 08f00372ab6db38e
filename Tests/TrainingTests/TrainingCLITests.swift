import EmotionModel
import NeuralNet
import XCTest
import Training
import TestSupport

/// `emotelab train / distill / evaluate / models` end to end, through the built binary.
final class TrainingCLITests: XCTestCase {
    let mini = TestPaths.ferMini.path

    /// Copies `count` images of each class from FER2013-mini val into `<root>/val/<class>/`.
    private func tree(_ root: URL, _ counts: [EmotionLabel: Int]) throws {
        for (label, count) in counts {
            let source = TestPaths.ferMini.appendingPathComponent("val/\(label.name)")
            let files = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(count)
            let target = root.appendingPathComponent("val/\(label.name)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
            }
        }
    }

    /// Six hand-picked images (2 angry, 2 happy, 1 sad, 1 surprise) and a model that always says happy:
    /// accuracy 2/6; happy P = 2/6, R = 2/2, F1 = 2·(1/3)·1 / (4/3) = 1/2; angry, sad, surprise all 0;
    /// macro-F1 over the 4 classes seen = (0 + 1/2 + 0 + 0) / 4 = 0.125.
    func testEvaluateSixImages() throws {
        let dir = TestPaths.temporaryDirectory()
        try tree(dir.appendingPathComponent("data"), [.angry: 2, .happy: 2, .sad: 1, .surprise: 1])
        try TestModels.constant(.happy, at: dir.appendingPathComponent("happy.safetensors"))
        let result = try CommandRunner.run(["evaluate", "--model", dir.appendingPathComponent("happy.safetensors").path,
                                            "--data", dir.appendingPathComponent("data").path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["images"] as? Int, 6)
        XCTAssertEqual(try XCTUnwrap(json["accuracy"] as? Double), 2.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(json["macro_f1"] as? Double), 0.125, accuracy: 1e-12)
        let perClass = try XCTUnwrap(json["per_class"] as? [String: [String: Any]])
        XCTAssertEqual(try XCTUnwrap(perClass["happy"]?["precision"] as? Double), 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(perClass["happy"]?["f1"] as? Double), 0.5, accuracy: 1e-12)
        XCTAssertEqual(perClass["angry"]?["support"] as? Int, 2)
        // Rows: true class; every image lands in the happy column (index 3).
        XCTAssertEqual(json["confusion"] as? [[Int]], [[0, 0, 0, 2, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0],
                                                       [0, 0, 0, 2, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0],
                                                       [0, 0, 0, 1, 0, 0, 0]])
        let table = try CommandRunner.run(["evaluate", "--model", dir.appendingPathComponent("happy.safetensors").path,
                                           "--data", dir.appendingPathComponent("data").path])
        XCTAssertTrue(table.stdout.contains("images: 6   accuracy: 33.33 %   macro-F1: 0.1250"), table.stdout)
        let csv = dir.appendingPathComponent("report.csv")
        let written = try CommandRunner.run(["evaluate", "--model", dir.appendingPathComponent("happy.safetensors").path,
                                             "--data", dir.appendingPathComponent("data").path, "--format", "csv",
                                             "--output", csv.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(written.stdout, "")
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        // happy: P = 2/6, R = 1, F1 = 1/2, support 2, all six images in its column.
        XCTAssertEqual(rows[4], "happy,0.3333333333333333,1.0,0.5,2,0,0,0,2,0,0,0")
        XCTAssertEqual(rows[9], "accuracy,,,0.3333333333333333,6,,,,,,,")
    }

    /// `average` of a model that always says happy and one that always says sad, written as f16: fc4's bias
    /// becomes one half at both (every other weight stays zero), so the average scores the two equally, and
    /// the file names both ingredients.
    func testAverageTwoModels() throws {
        let dir = TestPaths.temporaryDirectory()
        let happy = dir.appendingPathComponent("happy.safetensors"), sad = dir.appendingPathComponent("sad.safetensors")
        try TestModels.constant(.happy, at: happy)
        try TestModels.constant(.sad, at: sad)
        let out = dir.appendingPathComponent("soup.safetensors")
        let result = try CommandRunner.run(["average", happy.path, sad.path, "--tta", "mirror", "--dtype", "f16",
                                            "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "wrote \(out.path): the average of 2 models (happy.safetensors, sad.safetensors), "
                       + "test-time augmentation mirror\n")
        let file = try SafetensorsFile(contentsOf: out)
        XCTAssertEqual(file.storedTypes["conv1.weight"], .f16)
        let model = try ModelFile.load(contentsOf: out)
        XCTAssertEqual(model.network.stateDict()["fc4.bias"]?.storage, [0, 0, 0, 0.5, 0, 0.5, 0])
        XCTAssertEqual(model.metadata.preprocessing.testTimeAugmentation, .mirror)
        let summary = try XCTUnwrap(model.metadata.trainingSummary)
        XCTAssertTrue(summary.contains("sad.safetensors fnv1a:"), summary)
    }

    /// Training C for two epochs writes the model and its checkpoint; `models` lists it with the validation
    /// accuracy from its training summary; `evaluate` reproduces that accuracy under the test-time mirror
    /// averaging the model file records.
    func testTrainThenModelsAndEvaluate() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("c.safetensors").path
        let train = try CommandRunner.run(["train", "--data", mini, "--arch", "C", "--epochs", "2", "--batch-size", "32",
                                           "--out", out, "--threads", "2", "--dtype", "f16", "--tta", "mirror"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("epoch 1/2  loss "), train.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.checkpoint.safetensors").path))
        let models = try CommandRunner.run(["models", out, "--format", "json"], environment: ["EMOTELAB_MODELS": dir.path])
        XCTAssertEqual(models.status, 0, models.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["architecture"] as? String, "C")
        XCTAssertEqual(rows[0]["parameters"] as? Int, 1_259_767)   // 1,259,911 published for 3 input channels − 2·8·9
        XCTAssertEqual(rows[0]["dtype"] as? String, "F16")
        XCTAssertEqual(rows[0]["epochs"] as? Int, 2)
        XCTAssertEqual(rows[0]["test_time_augmentation"] as? String, "mirror")
        XCTAssertEqual(try ModelFile.load(contentsOf: URL(fileURLWithPath: out)).metadata.preprocessing.testTimeAugmentation,
                       .mirror)
        let valAccuracy = try XCTUnwrap(rows[0]["val_accuracy"] as? Double)
        let evaluate = try CommandRunner.run(["evaluate", "--model", out, "--data", mini, "--format", "json", "--threads", "2"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        // The summary was measured on f32 weights, evaluate reads the f16 file: allow one image of 70.
        XCTAssertEqual(try XCTUnwrap(json["accuracy"] as? Double), valAccuracy, accuracy: 1.0 / 70 + 1e-9)

        // The checkpoint is not a model: `models` and `evaluate` say so; `models` still lists the good file,
        // with an error line for each bad one, and fails.
        let checkpoint = dir.appendingPathComponent("c.checkpoint.safetensors").path
        let missing = dir.appendingPathComponent("none.safetensors").path
        let notModel = "\(checkpoint): a training checkpoint, not a model (use the --out model file of that run, "
            + "or continue training with --resume)"
        let mixed = try CommandRunner.run(["models", out, checkpoint, missing], environment: ["EMOTELAB_MODELS": dir.path])
        XCTAssertEqual(mixed.status, 1)
        let lines = mixed.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, mixed.stdout)
        XCTAssertTrue(lines[0].contains("val acc (training)  macro-F1 (training)"), mixed.stdout)
        XCTAssertTrue(lines[1].hasPrefix("-     C     1×48×48"), mixed.stdout)
        XCTAssertTrue(lines[1].hasSuffix(out), mixed.stdout)
        XCTAssertEqual(mixed.stderr, "error: \(notModel)\nerror: \(missing): no such model file (and not a shipped "
                       + "model name: A, B, C, default)\n")
        let evaluateCheckpoint = try CommandRunner.run(["evaluate", "--model", checkpoint, "--data", mini])
        XCTAssertEqual(evaluateCheckpoint.status, 1)
        XCTAssertEqual(evaluateCheckpoint.stderr, "error: \(notModel)\n")
    }

    /// `--through-detector` scores the crops the detector finds, says how many of the images had a face found,
    /// and gives the registered-crop accuracy of those same images beside it.
    func testEvaluateThroughTheDetector() throws {
        let result = try CommandRunner.run(["evaluate", "--model", "C", "--data", mini, "--through-detector", "haar",
                                            "--format", "json", "--threads", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let crops = try XCTUnwrap(json["crops"] as? String)
        let images = try XCTUnwrap(json["images"] as? Int)
        XCTAssertTrue(crops.hasPrefix("as analyze cuts them: through haar-frontalface-default, a face found in \(images) "
                                      + "of 70 images ("), crops)
        XCTAssertTrue(images > 35 && images <= 70, "\(images) faces found")
        XCTAssertTrue(crops.contains("; the same images as registered in the dataset: accuracy "), crops)
        // Through BlazeFace (analyze's default), which finds more of these faces than Haar.
        let blaze = try CommandRunner.run(["evaluate", "--model", "C", "--data", mini, "--through-detector", "blazeface",
                                           "--format", "json", "--threads", "2"])
        XCTAssertEqual(blaze.status, 0, blaze.stderr)
        let blazeJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(blaze.stdout.utf8)) as? [String: Any])
        let blazeImages = try XCTUnwrap(blazeJSON["images"] as? Int)
        XCTAssertTrue(try XCTUnwrap(blazeJSON["crops"] as? String)
            .hasPrefix("as analyze cuts them: through blazeface-short-range, a face found in \(blazeImages) of 70 images ("))
        XCTAssertGreaterThanOrEqual(blazeImages, images)
        let missing = try CommandRunner.run(["evaluate", "--model", "C", "--data", mini, "--through-detector",
                                             "/nonexistent/cascade.xml"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("error: ") && missing.stderr.contains("/nonexistent/cascade.xml"),
                      missing.stderr)
    }

    /// A fine-tune that only makes the model worse keeps the --init model: it is scored on val before the
    /// first epoch, and written unchanged when no epoch beats it.
    func testFineTuneKeepsTheStartingModelWhenNoEpochBeatsIt() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("c.safetensors")
        let result = try CommandRunner.run(["train", "--data", mini, "--init", "C", "--epochs", "1", "--batch-size", "16",
                                            "--lr", "0.5", "--threads", "2", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The starting score is what evaluate gives the shipped C on FER2013-mini val (its own preprocessing,
        // test-time mirror included).
        let shipped = try ModelFile.load(contentsOf: try ModelCatalog.resolve("C"))
        let start = Evaluator.evaluate(shipped.network, preprocessing: shipped.metadata.preprocessing, on: MiniData.val)
        let percent = String(format: "%.2f %%", start.accuracy * 100)
        XCTAssertTrue(result.stdout.contains("--init model: val acc \(percent)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("no epoch beat the --init model's validation accuracy (\(percent)): kept it"),
                      result.stdout)
        let written = try ModelFile.load(contentsOf: out)
        XCTAssertEqual(written.network.stateDict(), shipped.network.stateDict())
        let summary = try XCTUnwrap(written.metadata.trainingSummary.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        })
        XCTAssertEqual(summary["best_epoch"] as? Int, 0)
        XCTAssertEqual(try XCTUnwrap(summary["val_accuracy"] as? Double), start.accuracy, accuracy: 1e-12)
        XCTAssertEqual(written.metadata.preprocessing.testTimeAugmentation, shipped.metadata.preprocessing.testTimeAugmentation)
        XCTAssertEqual(summary["epochs_run"] as? Int, 1)
        XCTAssertNil(summary["kept_epoch"])

        // The same run with --keep last writes the epoch's weights, which score what its summary says.
        let lastOut = dir.appendingPathComponent("last.safetensors")
        let last = try CommandRunner.run(["train", "--data", mini, "--init", "C", "--epochs", "1", "--batch-size", "16",
                                          "--lr", "0.5", "--threads", "2", "--keep", "last", "--out", lastOut.path])
        XCTAssertEqual(last.status, 0, last.stderr)
        let kept = try ModelFile.load(contentsOf: lastOut)
        XCTAssertNotEqual(kept.network.stateDict(), shipped.network.stateDict())
        let keptSummary = try XCTUnwrap(kept.metadata.trainingSummary.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        })
        XCTAssertEqual(keptSummary["kept_epoch"] as? Int, 1)
        XCTAssertEqual(keptSummary["best_epoch"] as? Int, 0)
        let lastScore = Evaluator.evaluate(kept.network, preprocessing: kept.metadata.preprocessing, on: MiniData.val)
        XCTAssertEqual(try XCTUnwrap(keptSummary["val_accuracy"] as? Double), lastScore.accuracy, accuracy: 1e-12)
        XCTAssertTrue(last.stdout.contains(String(format: "kept the last epoch (--keep last: val acc %.2f %%); ", lastScore.accuracy * 100)
                                           + "no epoch beat the --init model's validation accuracy (\(percent))"),
                      last.stdout)
    }

    /// `--input-size 64` with a 48×48 `--init` model fine-tunes the same weights at 64×64 (the network ends in
    /// global pooling): the file written takes 64×64 faces and keeps the starting model's normalisation and
    /// test-time augmentation.
    func testFineTuneAtAnotherInputSize() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("c64.safetensors")
        let result = try CommandRunner.run(["train", "--data", mini, "--init", "C", "--input-size", "64", "--epochs", "1",
                                            "--batch-size", "16", "--lr", "0.01", "--threads", "2", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let shipped = try ModelFile.load(contentsOf: try ModelCatalog.resolve("C"))
        let written = try ModelFile.load(contentsOf: out)
        XCTAssertEqual(shipped.network.architecture.inputSize, 48)
        XCTAssertEqual(written.network.architecture.inputSize, 64)
        XCTAssertEqual(written.metadata.preprocessing.inputSize, 64)
        XCTAssertEqual(written.metadata.preprocessing.mean, shipped.metadata.preprocessing.mean)
        XCTAssertEqual(written.metadata.preprocessing.std, shipped.metadata.preprocessing.std)
        XCTAssertEqual(written.metadata.preprocessing.testTimeAugmentation, shipped.metadata.preprocessing.testTimeAugmentation)
        let evaluated = try CommandRunner.run(["evaluate", "--model", out.path, "--data", mini, "--format", "json"])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        // Another width is still refused.
        let wrong = try CommandRunner.run(["train", "--data", mini, "--init", "C", "--arch", "B", "--input-size", "64",
                                           "--epochs", "1", "--out", dir.appendingPathComponent("x.safetensors").path])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("--init model is C with 1 channel(s) of 48×48, but the run asks for B with 1 "
                                            + "channel(s) of 64×64"), wrong.stderr)
    }

    /// `--teacher` repeated distils from an ensemble: the log names both, and the model file's training
    /// summary records both teachers by content.
    func testDistilFromAnEnsemble() throws {
        let dir = TestPaths.temporaryDirectory()
        let happy = dir.appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: happy)
        let out = dir.appendingPathComponent("d.safetensors")
        let result = try CommandRunner.run(["distill", "--teacher", "C", "--teacher", happy.path, "--student", "C",
                                            "--data", mini, "--epochs", "1", "--batch-size", "32", "--threads", "2",
                                            "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let shippedC = try ModelCatalog.resolve("C").path
        XCTAssertTrue(result.stdout.contains("teachers (mean logits): \(shippedC), \(happy.path): logits of 140 images"),
                      result.stdout)
        let written = try ModelFile.load(contentsOf: out)
        let summary = try XCTUnwrap(written.metadata.trainingSummary)
        XCTAssertTrue(summary.contains("C.safetensors fnv1a:") && summary.contains(" + happy.safetensors fnv1a:"), summary)
    }

    /// `--teacher-views augmented` runs the teachers on every batch (here mixed by mixup and CutMix too): the
    /// log says so (and computes no cache), the model file is written, and its training summary records the
    /// teacher and the mixing. A teacher of another input size, and mixing with cached teacher logits, are
    /// refused with one line before any file is written.
    func testDistilFromAugmentedViews() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("d.safetensors")
        let result = try CommandRunner.run(["distill", "--teacher", "C", "--student", "C", "--teacher-views", "augmented",
                                            "--shift", "3", "--erase", "0.5", "--mixup", "0.2", "--cutmix", "1", "--data", mini, "--epochs", "1",
                                            "--batch-size", "32", "--threads", "2", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let shippedC = try ModelCatalog.resolve("C").path
        XCTAssertTrue(result.stdout.contains("teacher: \(shippedC): run on every batch as the student sees it "
                                            + "(--teacher-views augmented)"), result.stdout)
        XCTAssertFalse(result.stdout.contains("logits of 140 images"), result.stdout)
        let summary = try XCTUnwrap(try ModelFile.load(contentsOf: out).metadata.trainingSummary)
        XCTAssertTrue(summary.contains("C.safetensors fnv1a:"), summary)
        XCTAssertTrue(summary.contains(#""cutmixAlpha":1"#) && summary.contains(#""mixupAlpha":0.2"#), summary)
        let cached = try CommandRunner.run(["distill", "--teacher", "C", "--student", "C", "--mixup", "0.2", "--data", mini,
                                            "--epochs", "1", "--out", dir.appendingPathComponent("y.safetensors").path])
        XCTAssertEqual(cached.status, 1)
        XCTAssertEqual(cached.stderr, "error: --mixup and --cutmix need --teacher-views augmented when distilling (the "
                       + "cached logits are of unmixed images)\n")

        let big = ResEmoteNet(architecture: ResEmoteNetArchitecture(width: .C, inputSize: 64))
        let bigURL = dir.appendingPathComponent("c64.safetensors")
        try ModelFile.save(big, metadata: ModelMetadata(architecture: big.architecture, mean: [0.5], std: [0.25]), to: bigURL)
        let refused = try CommandRunner.run(["distill", "--teacher", bigURL.path, "--student", "C", "--teacher-views",
                                             "augmented", "--data", mini, "--epochs", "1", "--threads", "2",
                                             "--out", dir.appendingPathComponent("x.safetensors").path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "error: --teacher-views augmented needs teachers that take the student's 48×48 "
                       + "images, but a teacher takes 64×64 (use --teacher-views clean for it)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.safetensors").path))
    }

    /// `--detector-crops blazeface`: the training faces are cut as analyze cuts them (BlazeFace finds nearly
    /// all of FER2013-mini's), the run says how many, and the model's summary records the option and its rate.
    /// A rate without a detector, and a detector that cannot be loaded, are refused in one line, nothing written.
    func testTrainOnDetectorCrops() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("d.safetensors")
        let result = try CommandRunner.run(["train", "--arch", "C", "--detector-crops", "blazeface", "--shift", "2",
                                            "--data", mini, "--epochs", "1", "--batch-size", "32", "--threads", "2",
                                            "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("detector crops: ") }, result.stdout)
        let found = try XCTUnwrap(Int(line.dropFirst("detector crops: blazeface found a face in ".count).prefix { $0.isNumber }), String(line))
        XCTAssertTrue(found > 126 && found <= 140, String(line))
        XCTAssertTrue(line.hasPrefix("detector crops: blazeface found a face in \(found) of 140 train images ("), String(line))
        XCTAssertTrue(line.hasSuffix("; each epoch shows a face as it cuts it with probability 0.5"), String(line))
        let summary = try XCTUnwrap(try ModelFile.load(contentsOf: out).metadata.trainingSummary)
        XCTAssertTrue(summary.contains(#""detectorCropRate":0.5"#) && summary.contains(#""detectorCrops":"blazeface""#), summary)

        let rateOnly = try CommandRunner.run(["train", "--arch", "C", "--detector-crop-rate", "0.3", "--data", mini,
                                              "--epochs", "1", "--out", dir.appendingPathComponent("r.safetensors").path])
        XCTAssertEqual(rateOnly.status, 1)
        XCTAssertEqual(rateOnly.stderr, "error: --detector-crop-rate needs --detector-crops (the detector whose crops are shown)\n")
        let missing = dir.appendingPathComponent("m.safetensors")
        let noDetector = try CommandRunner.run(["train", "--arch", "C", "--detector-crops", "/nonexistent/cascade.xml",
                                                "--data", mini, "--epochs", "1", "--out", missing.path])
        XCTAssertEqual(noDetector.status, 1)
        XCTAssertTrue(noDetector.stderr.hasPrefix("error: ") && noDetector.stderr.contains("/nonexistent/cascade.xml")
                      && noDetector.stderr.filter { $0 == "\n" }.count == 1, noDetector.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path))
    }

    /// After a NaN the advice is true: resuming diverges again, --resume refuses another --lr, and a fresh
    /// run with a lower --lr and --overwrite succeeds.
    func testDivergenceAdvice() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("n.safetensors").path
        let base = ["train", "--data", mini, "--arch", "C", "--epochs", "3", "--batch-size", "32", "--threads", "2",
                    "--out", out]
        let first = try CommandRunner.run(base + ["--lr", "5"])   // NaN in epoch 2 on FER2013-mini
        XCTAssertEqual(first.status, 1)
        XCTAssertTrue(first.stderr.hasSuffix("is left as it was, but resuming it would diverge the same way. "
                                             + "Start afresh with a lower --lr and --overwrite.\n"), first.stderr)
        let resumed = try CommandRunner.run(base + ["--lr", "5", "--resume"])
        XCTAssertEqual(resumed.status, 1)
        // The same batches at the same rates: NaN again (in the loss or, first, in the weights).
        XCTAssertTrue(resumed.stderr.contains("became NaN"), resumed.stderr)
        let otherRate = try CommandRunner.run(base + ["--lr", "0.01", "--resume"])
        XCTAssertEqual(otherRate.status, 1)
        XCTAssertTrue(otherRate.stderr.contains("--lr 5.0 in the checkpoint, 0.01 now"), otherRate.stderr)
        let fresh = try CommandRunner.run(base + ["--lr", "0.01", "--overwrite"])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stdout.contains("done: 3 epochs"), fresh.stdout)
    }

    /// Ctrl-C after the first epoch line saves a checkpoint and exits 130; `--resume` finishes the run with a
    /// model file byte-identical to an uninterrupted run's.
    func testInterruptAndResumeGivesIdenticalModelFile() throws {
        let dir = TestPaths.temporaryDirectory()
        func args(_ out: String) -> [String] {
            ["train", "--data", mini, "--arch", "C", "--epochs", "4", "--batch-size", "16", "--shift", "2",
             "--early-stop", "0", "--seed", "3", "--threads", "2", "--out", dir.appendingPathComponent(out).path]
        }
        let reference = try CommandRunner.run(args("ref.safetensors"))
        XCTAssertEqual(reference.status, 0, reference.stderr)

        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = args("run.safetensors")
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let sawEpoch = expectation(description: "first epoch line")
        let output = OutputCollector()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            if output.append(handle.availableData, watching: "epoch 1/4") { sawEpoch.fulfill() }
        }
        try process.run()
        wait(for: [sawEpoch], timeout: 60)
        process.interrupt()
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        XCTAssertEqual(process.terminationStatus, 130)
        let log = output.text
        XCTAssertTrue(log.contains("checkpoint saved to"), log)
        XCTAssertFalse(log.contains("epoch 4/4"), "interrupted before the end")

        let resumed = try CommandRunner.run(args("run.safetensors") + ["--checkpoint", dir.appendingPathComponent("run.checkpoint.safetensors").path, "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("resuming"), resumed.stdout)
        let a = try Data(contentsOf: dir.appendingPathComponent("ref.safetensors"))
        let b = try Data(contentsOf: dir.appendingPathComponent("run.safetensors"))
        XCTAssertEqual(a, b, "resumed model file differs from the uninterrupted one")
    }
}

/// Collects a child's output from a pipe handler (another thread) and reports when a marker first appears.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = ""

    var text: String { lock.lock(); defer { lock.unlock() }; return collected }

    /// Appends `data`; true exactly once, when `marker` first appears.
    func append(_ data: Data, watching marker: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let before = collected.contains(marker)
        collected += String(decoding: data, as: UTF8.self)
        return !before && collected.contains(marker)
    }
}
