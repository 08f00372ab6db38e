import EmotionModel
import NeuralNet
import XCTest
@testable import Training
import TestSupport

final class TrainerTests: XCTestCase {
    override func setUp() { Compute.threadCount = 2 }

    /// Student C learns the 140 FER2013-mini training images by heart: ≥ 95 % accuracy on them,
    /// evaluated as shipped (evaluation mode, BatchNorm folded, no augmentation).
    func testStudentCOverfitsMiniTrain() throws {
        let dir = TestPaths.temporaryDirectory()
        var config = TrainingConfiguration(architecture: "C", epochs: 40, batchSize: 20, learningRate: 0.05,
                                           weightDecay: 0, classWeighting: .none,
                                           augmentation: .none, dropoutStem: 0, dropoutHead: 0, seed: 1)
        config.earlyStoppingPatience = 0
        let trainer = try Trainer(configuration: config, train: MiniData.train, val: nil,
                                  preprocessing: MiniData.preprocessing(),
                                  checkpointURL: dir.appendingPathComponent("c.ckpt"))
        XCTAssertEqual(try trainer.run(), .completed)
        let report = Evaluator.evaluate(trainer.finalNetwork(), preprocessing: trainer.preprocessing, on: MiniData.train)
        print("overfit: train accuracy \(report.accuracy), history \(trainer.progress.history.map { String(format: "%.3f", $0.trainAccuracy) })")
        XCTAssertGreaterThanOrEqual(report.accuracy, 0.95)
    }
}

final class TrainerResumeTests: XCTestCase {
    override func setUp() { Compute.threadCount = 2 }

    /// Every source of randomness on: flip, shift and rotation, dropout, class weights, a validation split.
    private func configuration(ema: Float? = nil, mixing: MixingOptions = .none) -> TrainingConfiguration {
        TrainingConfiguration(architecture: "C", epochs: 3, batchSize: 32, learningRate: 0.02,
                              augmentation: AugmentationOptions(horizontalFlip: true, maxShift: 3, maxRotation: 10),
                              seed: 7, weightAverageDecay: ema, mixing: mixing)
    }

    private func makeTrainer(_ url: URL, ema: Float? = nil, mixing: MixingOptions = .none) throws -> Trainer {
        try Trainer(configuration: configuration(ema: ema, mixing: mixing), train: MiniData.train, val: MiniData.val,
                    preprocessing: MiniData.preprocessing(), checkpointURL: url)
    }

    private func bits(_ state: [String: Tensor]) -> [String: [UInt32]] {
        state.mapValues { $0.storage.map(\.bitPattern) }
    }

    /// Stopped after epoch 1 (and, separately, in the middle of epoch 2), then resumed from the checkpoint
    /// file: the final weights, the best weights and the history equal an uninterrupted run's, bit for bit —
    /// with and without a moving average of the weights (which the checkpoint then carries), and with mixup
    /// and CutMix (their draws come from the epoch's plan).
    func testResumedRunsEqualUninterrupted() throws {
        try checkResume(ema: nil)
        try checkResume(ema: 0.8)
        try checkResume(ema: nil, mixing: MixingOptions(mixupAlpha: 0.4, cutmixAlpha: 1))
    }

    /// Mixing changes what the network is trained on: the same run (seed, plan of shuffles and augmentations)
    /// with mixup and CutMix has another training loss in every epoch and other weights at the end.
    func testMixingChangesTraining() throws {
        let dir = TestPaths.temporaryDirectory()
        let plain = try makeTrainer(dir.appendingPathComponent("plain.ckpt"))
        let mixed = try makeTrainer(dir.appendingPathComponent("mixed.ckpt"), mixing: MixingOptions(mixupAlpha: 0.4, cutmixAlpha: 1))
        _ = try plain.run()
        _ = try mixed.run()
        for (a, b) in zip(plain.progress.history, mixed.progress.history) {
            XCTAssertGreaterThan(abs(b.trainLoss - a.trainLoss), 1e-3, "epoch \(a.epoch)")
        }
        XCTAssertNotEqual(plain.model.stateDict(), mixed.model.stateDict())
    }

    private func checkResume(ema: Float?, mixing: MixingOptions = .none) throws {
        let dir = TestPaths.temporaryDirectory()
        let reference = try makeTrainer(dir.appendingPathComponent("ref.ckpt"), ema: ema, mixing: mixing)
        XCTAssertEqual(try reference.run(), .completed)
        let referenceWeights = bits(reference.model.stateDict())
        let referenceBest = bits(reference.finalState)

        // (stop after epoch, stop after batch) pairs: the end of epoch 1, and batch 2 of epoch 2.
        for (epochs, batches) in [(1, 0), (1, 2)] {
            let url = dir.appendingPathComponent("run-\(epochs)-\(batches).ckpt")
            let first = try makeTrainer(url, ema: ema, mixing: mixing)
            first.shouldStop = { [unowned first] in
                first.progress.completedEpochs == epochs && first.progress.batchesDone == batches
            }
            XCTAssertEqual(try first.run(), .interrupted(epoch: epochs + 1, batch: batches))
            XCTAssertNotEqual(bits(first.model.stateDict()), referenceWeights)

            let checkpoint = try Checkpoint(contentsOf: url)
            XCTAssertEqual(checkpoint.progress.completedEpochs, epochs)
            XCTAssertEqual(checkpoint.progress.batchesDone, batches)
            XCTAssertEqual(checkpoint.average == nil, ema == nil)
            let resumed = try Trainer(resuming: checkpoint, from: url, configuration: configuration(ema: ema, mixing: mixing),
                                      train: MiniData.train, val: MiniData.val)
            XCTAssertEqual(try resumed.run(), .completed)
            XCTAssertEqual(bits(resumed.model.stateDict()), referenceWeights, "stopped at \(epochs)/\(batches)")
            XCTAssertEqual(bits(resumed.finalState), referenceBest)
            XCTAssertEqual(bits(resumed.currentState), bits(reference.currentState))
            XCTAssertEqual(resumed.progress.history.map(\.trainLoss), reference.progress.history.map(\.trainLoss))
            XCTAssertEqual(resumed.progress.history.map(\.valAccuracy), reference.progress.history.map(\.valAccuracy))
        }
    }

    /// With `--ema`, validation scores the average and the written weights are the average: not the starting
    /// weights (the average moved) and not the last step's (0.8 keeps a fifth of each step).
    func testMovingAverageIsValidatedAndKept() throws {
        let dir = TestPaths.temporaryDirectory()
        let trainer = try makeTrainer(dir.appendingPathComponent("ema.ckpt"), ema: 0.8)
        let start = bits(trainer.model.stateDict())
        XCTAssertEqual(try trainer.run(), .completed)
        let best = trainer.finalState
        XCTAssertNotEqual(bits(best), start)
        XCTAssertNotEqual(bits(best)["fc4.weight"], bits(trainer.model.stateDict())["fc4.weight"])
        let bestEpoch = try XCTUnwrap(trainer.progress.bestEpoch)
        let network = ResEmoteNet(architecture: trainer.model.architecture)
        try network.load(stateDict: best)
        var preprocessing = trainer.preprocessing
        preprocessing.testTimeAugmentation = .none
        let report = Evaluator.evaluate(network, preprocessing: preprocessing, on: MiniData.val)
        XCTAssertEqual(report.accuracy, trainer.progress.history[bestEpoch - 1].valAccuracy)
    }

    /// A NaN loss stops the run with a message naming the epoch, batch and last good checkpoint, which stays
    /// as it was; the advice is a fresh run (resuming would replay the same steps).
    func testNaNStopsAndKeepsLastCheckpoint() throws {
        let dir = TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("nan.ckpt")
        let trainer = try makeTrainer(url)
        trainer.injectNaNAtBatch = trainer.batchesPerEpoch + 2   // batch 2 of epoch 2
        XCTAssertThrowsError(try trainer.run()) { error in
            // 140 images in batches of 32: 5 batches per epoch. Cosine over 3 epochs at epoch 1 + 1/5:
            // 0.02 · (1 + cos(π · 1.2 / 3)) / 2 = 0.01 · (1 + 0.309017) = 0.013090169.
            XCTAssertEqual("\(error)", "the loss became NaN at epoch 2, batch 2/5 (learning rate 0.013090169"
                           + "); stopped without saving; \(url.path) (epoch 1) is left as it was, but resuming it "
                           + "would diverge the same way. Start afresh with a lower --lr and --overwrite.")
        }
        let checkpoint = try Checkpoint(contentsOf: url)
        XCTAssertEqual(checkpoint.progress.completedEpochs, 1)
        XCTAssertEqual(checkpoint.progress.batchesDone, 0)
    }
}
