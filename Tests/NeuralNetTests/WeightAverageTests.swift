import NeuralNet
import XCTest

final class WeightAverageTests: XCTestCase {
    /// Two updates with decay 0.75 worked by hand: a weight going 1 → 3 → 5 averages to
    /// 0.75·1 + 0.25·3 = 1.5, then 0.75·1.5 + 0.25·5 = 2.375; running statistics are averaged the same way;
    /// the int64 batch counter is copied, not averaged.
    func testUpdatesByHand() throws {
        let bn = BatchNorm2d(channels: 2)
        bn.weight.value = Tensor(shape: [2], storage: [1, -2])
        bn.runningMean.value = Tensor(shape: [2], storage: [0, 4])
        let average = WeightAverage(decay: 0.75, startingFrom: bn)
        XCTAssertEqual(average.state["weight"]?.storage, [1, -2])

        bn.weight.value = Tensor(shape: [2], storage: [3, 2])
        bn.runningMean.value = Tensor(shape: [2], storage: [8, 0])
        bn.batchesTracked.value = Tensor(shape: [], storage: [1])
        average.update(from: bn)
        XCTAssertEqual(average.state["weight"]?.storage, [1.5, -1])
        XCTAssertEqual(average.state["running_mean"]?.storage, [2, 3])
        XCTAssertEqual(average.state["num_batches_tracked"]?.storage, [1])

        bn.weight.value = Tensor(shape: [2], storage: [5, 2])
        bn.batchesTracked.value = Tensor(shape: [], storage: [2])
        average.update(from: bn)
        XCTAssertEqual(average.state["weight"]?.storage, [2.375, -0.25])
        XCTAssertEqual(average.state["running_mean"]?.storage, [3.5, 2.25])
        XCTAssertEqual(average.state["num_batches_tracked"]?.storage, [2])
        // The module itself is untouched.
        XCTAssertEqual(bn.weight.value.storage, [5, 2])
    }

    /// A saved state continues where it stopped; one that lacks a tensor or has another shape is refused.
    func testRestoresAndRefusesMismatchedState() throws {
        let bn = BatchNorm2d(channels: 2)
        let first = WeightAverage(decay: 0.5, startingFrom: bn)
        bn.bias.value = Tensor(shape: [2], storage: [2, 4])
        first.update(from: bn)
        let second = try WeightAverage(decay: 0.5, state: first.state, for: bn)
        bn.bias.value = Tensor(shape: [2], storage: [0, 0])
        first.update(from: bn)
        second.update(from: bn)
        XCTAssertEqual(second.state, first.state)
        XCTAssertEqual(first.state["bias"]?.storage, [0.5, 1])

        var missing = first.state
        missing["running_var"] = nil
        XCTAssertThrowsError(try WeightAverage(decay: 0.5, state: missing, for: bn))
        var wrong = first.state
        wrong["weight"] = Tensor(shape: [3])
        XCTAssertThrowsError(try WeightAverage(decay: 0.5, state: wrong, for: bn))
    }
}
