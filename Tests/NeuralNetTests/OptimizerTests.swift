import XCTest
@testable import NeuralNet

/// SGD and learning-rate schedules against hand-computed values.
final class OptimizerTests: XCTestCase {
    func testSGDMomentumAndWeightDecayByHand() throws {
        let p = Parameter(Tensor(shape: [2], storage: [1, -2]))
        let sgd = SGD(parameters: [(name: "w", parameter: p)], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        p.grad = Tensor(shape: [2], storage: [0.5, 0.25])
        sgd.step()
        // g = 0.5 + 0.01·1 = 0.51; buf = 0.51; p = 1 − 0.051 = 0.949
        // g = 0.25 − 0.02 = 0.23; buf = 0.23; p = −2 − 0.023 = −2.023
        XCTAssertEqual(p.value.storage[0], 0.949, accuracy: 1e-6)
        XCTAssertEqual(p.value.storage[1], -2.023, accuracy: 1e-6)
        p.grad = Tensor(shape: [2], storage: [0.5, 0.25])
        let saved = sgd.stateDict()
        let valueBefore = p.value
        sgd.step()
        // g = 0.5 + 0.00949 = 0.50949; buf = 0.9·0.51 + 0.50949 = 0.96849; p = 0.949 − 0.096849 = 0.852151
        XCTAssertEqual(p.value.storage[0], 0.852151, accuracy: 1e-6)
        // Restoring the state and the weights repeats the step exactly.
        let after = p.value
        p.value = valueBefore
        let other = SGD(parameters: [(name: "w", parameter: p)], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        try other.load(stateDict: saved)
        other.step()
        XCTAssertEqual(p.value, after)
        XCTAssertThrowsError(try other.load(stateDict: [:])) { error in
            XCTAssertEqual("\(error)", "optimizer state lacks w.momentum_buffer")
        }
    }

    func testCosineSchedule() {
        let s = CosineSchedule(baseLearningRate: 0.1, minimumLearningRate: 0.001, totalEpochs: 10)
        XCTAssertEqual(s.learningRate(atEpoch: 0), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(atEpoch: 5), 0.0505, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(atEpoch: 10), 0.001, accuracy: 1e-7)
        let warm = CosineSchedule(baseLearningRate: 0.1, totalEpochs: 10, warmupEpochs: 2)
        XCTAssertEqual(warm.learningRate(atEpoch: 1), 0.05, accuracy: 1e-6)
    }

    func testPlateauScheduleReducesAfterPatience() {
        var s = PlateauSchedule(learningRate: 0.1, mode: .max, factor: 0.5, patience: 2, cooldown: 1)
        XCTAssertFalse(s.step(metric: 0.50))   // best
        XCTAssertFalse(s.step(metric: 0.60))   // best
        XCTAssertFalse(s.step(metric: 0.59))   // bad 1
        XCTAssertFalse(s.step(metric: 0.60))   // bad 2 (not better than 0.6·(1+1e-4))
        XCTAssertTrue(s.step(metric: 0.55))    // bad 3 > patience → 0.05, cooldown 1
        XCTAssertEqual(s.learningRate, 0.05, accuracy: 1e-9)
        XCTAssertFalse(s.step(metric: 0.55))   // cooldown
        XCTAssertEqual(s.best, 0.60)
    }
}
