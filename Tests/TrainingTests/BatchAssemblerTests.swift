import EmotionModel
import NeuralNet
import XCTest
import Training

final class BatchAssemblerTests: XCTestCase {
    /// Without augmentation the batch is exactly EmotionModel's `Preprocessing.batch` (the analyzer's
    /// input), for one channel and for three channels with their own mean and std.
    func testMatchesPreprocessingContract() throws {
        let data = MiniData.val
        let indices = [3, 0, 69, 12]
        for pre in [Preprocessing(inputSize: 48, inputChannels: 1, mean: [0.51], std: [0.25]),
                    Preprocessing(inputSize: 48, inputChannels: 3, mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.25])] {
            let ours = BatchAssembler(dataset: data, preprocessing: pre).batch(indices[...])
            let contract = try pre.batch(indices.map { Array(data.image($0)) })
            XCTAssertEqual(ours.shape, [4, pre.inputChannels, 48, 48])
            XCTAssertEqual(ours.storage.map(\.bitPattern), contract.storage.map(\.bitPattern))
        }
    }

    /// Each image gets its own augmentation.
    func testAugmentsPerImage() throws {
        let data = MiniData.val
        let pre = Preprocessing(inputSize: 48, inputChannels: 1, mean: [0], std: [1])
        let flip = Augmentation(flip: true, dx: 0, dy: 0, rotation: 0)
        let batch = BatchAssembler(dataset: data, preprocessing: pre).batch([5, 5][...], augmentations: [.identity, flip][...])
        let image = Array(data.image(5))
        for y in [0, 20, 47] {
            for x in [0, 13, 47] {
                // The contract's arithmetic with mean 0, std 1: p · (1 / 255) + 0.
                XCTAssertEqual(batch.storage[y * 48 + x], Float(image[y * 48 + x]) * (1 / 255))
                XCTAssertEqual(batch.storage[2304 + y * 48 + x], Float(image[y * 48 + 47 - x]) * (1 / 255))
            }
        }
    }
}
